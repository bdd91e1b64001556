// Package ignore implements git's ignore files: the gitignore syntax of
// .gitignore, .git/info/exclude and core.excludesFile, matched with
// package wildmatch (WM_PATHNAME: "*" and "?" stop at "/", "**" spans
// folders, bracket expressions with POSIX classes), as specified in
// git's Documentation/gitignore.txt (https://git-scm.com/docs/gitignore)
// and implemented in git's wildmatch.c.
//
// It owns parsing ignore files into rules ([Parse]) and deciding whether one
// path is ignored by a chain of sources ([List.Ignored]). It must not read
// files, walk folders or consult git config: gitcp finds the sources
// (every level's .gitignore, info/exclude, core.excludesFile or the XDG
// default), reads them and walks the work tree. Parsing never fails and
// matching never panics on any pattern or path.
package ignore
