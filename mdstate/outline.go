package mdstate

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The outline is what goldmark locates for us, in lines of the original
// file: headings, list items with their first paragraph, tables, and
// free-standing paragraphs. Everything else (code, HTML, quotes' bodies) is
// left alone, so a "- [ ]" line inside a fence is never an item.

type heading struct {
	Level     int
	Text      string
	Line      int // first line
	EndLine   int // last line (the underline of a setext heading)
	Container bool
}

type listItem struct {
	Line      int // line of the first paragraph's first line
	ParaEnd   int // last line of the first paragraph
	EndLine   int // last line of the whole item, sub-lists included
	Depth     int // number of enclosing list items
	Parent    int // index in outline.items of the enclosing item, -1 if none
	TopLevel  bool
	HasPara   bool
	ParaStart int // byte offset of the first paragraph's text
}

type table struct {
	Line  int // header row
	Rows  int // body rows
	Depth int // 0 when a direct child of the document
}

type paragraph struct {
	Line, EndLine int
	InList        bool
}

type outline struct {
	src        *Source
	headings   []heading
	items      []listItem
	tables     []table
	paragraphs []paragraph
	// code and html are the lines inside code blocks (fenced or indented)
	// and HTML blocks, by line number.
	code, html map[int]bool
	// deep are the lines goldmark never saw because they nest deeper than
	// [MaxNesting] (see findDeepLines).
	deep []DeepLine
}

// newParser returns a goldmark parser for the outline. It parses blocks
// only: the outline needs block structure and the lines of each block,
// never inline content (emphasis, links, code spans), which is about half
// of goldmark's parse time. The block parsers and paragraph transformers
// (link reference definitions, GFM tables) are goldmark's defaults, so the
// blocks are the ones goldmark.New(goldmark.WithExtensions(extension.Table))
// finds. Three changes leave goldmark's blocks as they are and save it work
// whose result the outline never reads:
//
//   - no inline parsers;
//   - the paragraphs of list items become raw blocks when their list
//     closes (rawListParser), so that goldmark's inline pass, which still
//     runs without inline parsers and makes a text node for every line, skips
//     them: in a TODO.md they are nearly every line;
//   - the link reference definition transformer is not run on a paragraph
//     that starts with a task box ("[ ] ", "[x]"), which can never start a
//     definition (skipBoxParagraphs).
//
// Each parse gets a parser of its own rather than sharing a package-level
// one: a goldmark parser finishes its set-up on its first Parse and can be
// changed through AddOptions, so a shared one would be package-level
// mutable state (DESIGN.md §2). Building one costs about 17 KB and 95
// allocations per parse (measured on a 10-line TODO.md: 12.5 KB and 137
// allocations before, 29.7 KB and 231 after), nothing next to starting the
// wf process.
func newParser() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(outlineBlockParsers()...),
		parser.WithParagraphTransformers(outlineParagraphTransformers()...),
		// What extension.Table adds to a goldmark.Markdown's parser; its
		// HTML renderer is not needed.
		parser.WithParagraphTransformers(util.Prioritized(extension.NewTableParagraphTransformer(), 200)),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
	)
}

// outlineBlockParsers returns goldmark's default block parsers with the
// list parser wrapped in a rawListParser.
func outlineBlockParsers() []util.PrioritizedValue {
	blocks := parser.DefaultBlockParsers()
	list := parser.NewListParser()
	for i, b := range blocks {
		if b.Value == list {
			blocks[i].Value = rawListParser{list}
		}
	}
	return blocks
}

// outlineParagraphTransformers returns goldmark's default paragraph
// transformers with the link reference definition one wrapped in a
// skipBoxParagraphs.
func outlineParagraphTransformers() []util.PrioritizedValue {
	transformers := parser.DefaultParagraphTransformers()
	for i, t := range transformers {
		if t.Value == parser.LinkReferenceParagraphTransformer {
			transformers[i].Value = skipBoxParagraphs{parser.LinkReferenceParagraphTransformer}
		}
	}
	return transformers
}

// rawText is the first paragraph (or any paragraph) of a list item once
// its list is closed: the same lines, but raw, so that goldmark's inline
// pass leaves it alone. The outline reads it as it reads an ast.Paragraph
// or ast.TextBlock.
type rawText struct{ ast.BaseBlock }

// kindRawText is rawText's node kind (a number goldmark hands out once).
var kindRawText = ast.NewNodeKind("WfRawText")

func (n *rawText) Kind() ast.NodeKind { return kindRawText }

// IsRaw makes goldmark's inline pass skip the node.
func (n *rawText) IsRaw() bool { return true }

func (n *rawText) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// isText reports whether n is a paragraph for the outline: an
// ast.Paragraph, an ast.TextBlock (a paragraph of a tight list) or a
// rawText.
func isText(n ast.Node) bool {
	k := n.Kind()
	return k == ast.KindParagraph || k == ast.KindTextBlock || k == kindRawText
}

// rawListParser is goldmark's list parser, which, when it closes a list,
// replaces every paragraph directly inside its items with a rawText of the
// same lines. A closed list's items and their children are all
// closed (goldmark closes blocks innermost first), and goldmark's block
// parsers only look at the types of open blocks, so the block structure
// stays what goldmark's own list parser makes of it; TestBlockOnlyOutline
// checks it against the full parser.
type rawListParser struct{ parser.BlockParser }

// Close implements parser.BlockParser.
//
// The paragraphs are replaced before goldmark's Close runs: it decides
// whether the list is tight from the items' children's positions and
// blank-line flags, which a rawText keeps, and then has no ast.Paragraph
// left to turn into an ast.TextBlock (a node per item saved).
func (b rawListParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	for item := node.FirstChild(); item != nil; item = item.NextSibling() {
		for c := item.FirstChild(); c != nil; {
			next := c.NextSibling()
			if k := c.Kind(); k == ast.KindParagraph || k == ast.KindTextBlock {
				r := &rawText{}
				r.SetLines(c.Lines())
				r.SetBlankPreviousLines(c.HasBlankPreviousLines())
				r.SetPos(c.Pos())
				item.ReplaceChild(item, c, r)
			}
			c = next
		}
	}
	b.BlockParser.Close(node, reader, pc)
}

// skipBoxParagraphs runs a paragraph transformer (goldmark's link
// reference definitions) except on a paragraph whose first line starts,
// after blanks, with "[", one of ' ', 'x', 'X', '-', "]" and then anything
// but ":". A definition starts with a link label directly followed by ":"
// (CommonMark 0.31.2, §4.7 Link reference definitions); such a line's
// label is "[ ]", which is blank and so no label, or one character long
// and not followed by ":". The transformer would try, fail on the first
// line and leave the paragraph unchanged.
type skipBoxParagraphs struct{ parser.ParagraphTransformer }

// Transform implements parser.ParagraphTransformer.
func (t skipBoxParagraphs) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	if l := node.Lines(); l.Len() > 0 {
		if first := l.At(0); boxNotLabel(first.Value(reader.Source())) {
			return
		}
	}
	t.ParagraphTransformer.Transform(node, reader, pc)
}

// boxNotLabel reports whether line starts, after spaces and tabs, with a
// task box that cannot be the label of a link reference definition.
func boxNotLabel(line []byte) bool {
	t := bytes.TrimLeft(line, " \t")
	if len(t) < 3 || t[0] != '[' || t[2] != ']' {
		return false
	}
	switch t[1] {
	case ' ', 'x', 'X', '-':
		return len(t) == 3 || t[3] != ':'
	}
	return false
}

// buildOutline returns the outline of s as newParser's parser sees it.
func buildOutline(s *Source) *outline { return outlineWith(newParser(), s) }

// outlineWith returns the outline of s as parser p sees it.
func outlineWith(p parser.Parser, s *Source) *outline {
	// goldmark parses the bytes after the BOM; when there is front matter
	// or a line nesting past MaxNesting, it parses a copy in which they are
	// blanked (same length, newlines kept), so offsets map straight back.
	// goldmark never writes to its source.
	base := s.BOM
	o := &outline{src: s, code: map[int]bool{}, html: map[int]bool{}}
	deep, containers := findDeepLines(s, base)
	o.deep = deep
	o.items = make([]listItem, 0, containers)
	view := s.Data[base:]
	if s.FrontMatter > 0 || len(deep) > 0 {
		view = bytes.Clone(view)
		for i := 0; i < s.FrontMatter; i++ {
			if view[i] != '\n' && view[i] != '\r' {
				view[i] = ' '
			}
		}
		blankLines(s, view, base, deep)
	}
	doc := p.Parse(text.NewReader(view))
	line := func(off int) int { return s.LineOf(off + base) }
	var walk func(n ast.Node, depth int, parent int)
	walk = func(n ast.Node, depth int, parent int) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Heading:
				h := heading{Level: c.Level, Container: depth > 0 || n.Kind() != ast.KindDocument}
				if c.Lines().Len() > 0 {
					first, last := c.Lines().At(0), c.Lines().At(c.Lines().Len()-1)
					h.Line, h.EndLine = line(first.Start), line(last.Stop-1)
					var b bytes.Buffer
					for i := 0; i < c.Lines().Len(); i++ {
						seg := c.Lines().At(i)
						if i > 0 {
							b.WriteByte(' ')
						}
						b.Write(bytes.TrimSpace(seg.Value(view)))
					}
					h.Text = b.String()
					if isSetextUnderline(s.Line(h.EndLine+1)) && !isATX(s.Line(h.Line)) {
						h.EndLine++
					}
				} else {
					h.Line = line(c.Pos())
					h.EndLine = h.Line
				}
				o.headings = append(o.headings, h)
			case *ast.List:
				walk(c, depth, parent)
			case *ast.ListItem:
				it := listItem{Depth: depth, Parent: parent, TopLevel: depth == 0 && n.Parent() != nil && n.Parent().Kind() == ast.KindDocument}
				if p := c.FirstChild(); p != nil && isText(p) && p.Lines().Len() > 0 {
					it.HasPara = true
					it.ParaStart = p.Lines().At(0).Start + base
					it.Line = line(p.Lines().At(0).Start)
					it.ParaEnd = line(p.Lines().At(p.Lines().Len()-1).Stop - 1)
				} else {
					it.Line = line(max(c.Pos(), 0))
					it.ParaEnd = it.Line
				}
				it.EndLine = max(it.ParaEnd, lastLine(c, view, s, base))
				idx := len(o.items)
				o.items = append(o.items, it)
				walk(c, depth+1, idx)
			case *east.Table:
				t := table{Depth: depth}
				rows := 0
				first := -1
				for r := c.FirstChild(); r != nil; r = r.NextSibling() {
					if first < 0 {
						first = line(r.Pos())
					}
					rows++
				}
				if first > 0 {
					t.Line = first
					t.Rows = rows - 1
					o.tables = append(o.tables, t)
				}
			case *ast.Paragraph, *ast.TextBlock, *rawText:
				if c.Lines().Len() > 0 {
					o.paragraphs = append(o.paragraphs, paragraph{
						Line:    line(c.Lines().At(0).Start),
						EndLine: line(c.Lines().At(c.Lines().Len()-1).Stop - 1),
						InList:  n.Kind() == ast.KindListItem,
					})
				}
			case *ast.Blockquote:
				walk(c, depth, parent)
			case *ast.FencedCodeBlock, *ast.CodeBlock:
				markLines(o.code, c, s, base)
			case *ast.HTMLBlock:
				markLines(o.html, c, s, base)
				if c.HasClosure() {
					o.html[line(c.ClosureLine.Start)] = true
				}
			}
		}
	}
	walk(doc, 0, -1)
	return o
}

// markLines records in m the lines of block n's content.
func markLines(m map[int]bool, n ast.Node, s *Source, base int) {
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		for ln := s.LineOf(seg.Start + base); ln <= s.LineOf(max(seg.Stop-1, seg.Start)+base); ln++ {
			m[ln] = true
		}
	}
}

// lastLine is the last source line any block inside n occupies, including
// the closing fence of a fenced code block.
func lastLine(n ast.Node, view []byte, s *Source, base int) int {
	last := 0
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			last = s.LineOf(l.At(l.Len()-1).Stop - 1 + base)
		}
		if fc, ok := n.(*ast.FencedCodeBlock); ok {
			from := last
			if from == 0 && fc.Info != nil {
				from = s.LineOf(fc.Info.Segment.Start + base)
			}
			if from > 0 && isFence(s.Line(from+1)) {
				last = from + 1
			}
		}
		if t, ok := n.(*east.Table); ok {
			for r := t.FirstChild(); r != nil; r = r.NextSibling() {
				last = max(last, s.LineOf(r.Pos()+base)+1)
			}
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() == ast.TypeBlock {
			last = max(last, lastLine(c, view, s, base))
		}
	}
	return last
}

func isFence(line []byte) bool {
	t := bytes.TrimLeft(line, " \t>")
	return bytes.HasPrefix(t, []byte("```")) || bytes.HasPrefix(t, []byte("~~~"))
}

func isATX(line []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(line, " "), []byte("#"))
}

func isSetextUnderline(line []byte) bool {
	t := bytes.TrimSpace(line)
	if len(t) == 0 {
		return false
	}
	for _, b := range t {
		if b != t[0] {
			return false
		}
	}
	return t[0] == '=' || t[0] == '-'
}
