// Package sections splits a Markdown body into an optional title, a
// preamble and "##" sections: the shape shared by wf's checkpoint files,
// checkpoint bodies given on stdin, spec files (Goal, Files to Read, Files
// to Modify, Requirements, Constraints, Deliverable) and sub-agent result
// files (Status, Changes, Decisions, Tests needed, Issues). The shape comes
// from the orchestration article's checkpoint file (DESIGN.md §3.3, §3.4).
//
// [Parse] reads a body line by line, once, and returns a [Doc]: the title
// (the first "# " heading before the first section), the preamble (the
// other text before the first section) and the sections in file order, each
// with its heading text, its body text, its 1-based line numbers and its
// byte span, so that callers can report file:line. [Items] splits a
// fragment into list items. The package owns only this reading; it knows no
// section names (callers classify titles, e.g. checkpoint's section keys)
// and it never edits: a caller that changes a file uses mdstate's edit
// machinery ([github.com/wf-tool/wf/mdstate.Edit]), which splices the
// original bytes; the spans here index the normalised [Doc.Src], not the
// file.
//
// # Rules
//
// Line endings and BOM. A UTF-8 byte order mark is dropped and every CRLF
// becomes LF before parsing; [Doc.Src] holds that normalised text and every
// offset indexes it. Line numbers are unchanged by this, so they are the
// file's. A lone CR is an ordinary byte, not a line ending.
//
// Headings. A line is a heading if it starts, in column 0, with one or two
// "#" followed by a space, a tab or the end of the line (CommonMark ATX
// headings, https://spec.commonmark.org/0.31.2/#atx-headings). Its text is
// the rest of the line with spaces and tabs trimmed and an optional closing
// sequence removed: a run of "#" that is the whole text or is preceded by a
// space or tab, followed only by spaces and tabs ("## Goal ##" is "Goal",
// "## C#" is "C#"). The text is raw inline Markdown: no escapes or emphasis
// are processed. Level-2 headings start sections; the first level-1 heading
// before the first section is the title; every other line, including later
// level-1 headings and headings of level 3 to 6, is text.
//
// Only column 0 counts. CommonMark also accepts 1 to 3 spaces before "#",
// but an indented heading is usually inside a list item, where it is not a
// section of the file; a column-0 "#" line always ends any list or quote
// above it, so in column 0 the rule is exact.
//
// Setext headings ("Title" over a line of "=" or "-") are not headings here:
// both lines stay text of the section they are in. wf writes ATX headings,
// and telling a setext underline from a thematic break or a list needs the
// paragraph structure this line scanner does not build.
//
// Fenced code (https://spec.commonmark.org/0.31.2/#fenced-code-blocks). A
// line whose first non-blank characters are three or more backticks or
// tildes opens a fence; a backtick fence's info string must not contain a
// backtick (so "```go```" is inline code, not a fence). The fence is closed
// by a line of at least as many of the same character followed only by
// spaces and tabs; an unclosed fence runs to the end of the input. Lines
// inside a fence are text, so "## x" in a code sample is not a section.
// Unlike CommonMark, an opening fence may be indented any amount: fences
// inside list items are indented, and their content must not make
// sections. The cost is that a fence-looking line inside an indented code
// block also opens a fence.
//
// HTML blocks (https://spec.commonmark.org/0.31.2/#html-blocks). A line
// indented at most 3 spaces that starts one of CommonMark's seven kinds of
// HTML block opens one, and the block's lines are text up to its end
// condition (a line containing "-->" for a comment, a blank line for a
// block-level tag such as <details>, and so on), so a section template kept
// in an HTML comment is not a section. Kind 7 (a lone complete tag such as
// <my-note>) cannot interrupt a paragraph; this scanner approximates "in a
// paragraph" as "the previous line was non-blank text, not a heading, a
// fence or HTML", so after a thematic break or an empty list item it
// misses a kind-7 start that CommonMark sees.
//
// Text. A section's text is the bytes after its heading line up to the next
// section or the end of the input, with leading and trailing newlines
// trimmed (spaces are kept). The preamble is the same for the text before
// the first section, with the title line taken out.
//
// Cost. Parse looks at each line a bounded number of times and runs in time
// linear in the size of its input, whatever the input.
package sections
