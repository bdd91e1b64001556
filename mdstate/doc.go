// Package mdstate reads and edits wf's Markdown state files,
// workflow-state.md and TODO.md, without ever re-rendering them.
//
// goldmark only locates: [ParseTodo] and [ParseState] walk goldmark's block
// tree to find headings, list items, tables and paragraphs, and record
// byte offsets into the original file. Every change is an [Edit], a byte
// range splice checked against the bytes it expects to replace; the result
// is parsed again and compared with the intended change before anything is
// written. Bytes outside the edited span never change, and the file keeps its
// line endings (LF or CRLF), its byte order mark and its final-newline state.
//
// Many versions of one workflow-state.md (its history, for `wf stats`)
// are read with an [EntryReader], which parses each distinct piece of
// them once and returns only the entries of some list sections, in a State
// that refuses edits.
//
// The package also owns the state files' durable I/O: [ReadFile] refuses
// input that is not a text file, [WriteFileAtomic] replaces a file with a
// temp-file-and-rename that will not overwrite a concurrent hand edit, and
// [AcquireLock] takes the one lock per worktree.
//
// # Size
//
// mdstate holds about 3,600 lines, above the 2,500 the architecture aims
// at. Its parsers (state.go, todo.go, with the lines they refuse to read
// as items: suspect.go, deep.go, prose.go) and its edits (the *edit.go
// files) share the located spans, the Source with its line index and the
// re-parse that verifies every edit, which are unexported on purpose:
// exporting them would let callers splice bytes without the check. The
// part that does not share them is the durable I/O (file.go, lock.go,
// about 550 lines), the next candidate for a package of its own.
package mdstate
