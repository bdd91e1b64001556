// Package wildmatch is git's pattern matcher for paths (wildmatch.c with
// WM_PATHNAME), shared by the gitignore(5) reader (package ignore) and the
// gitattributes(5) reader (package attr): "*" and "?" stop at "/", "**"
// between slashes spans folders, bracket expressions take ranges, "!"/"^"
// negation and POSIX classes, and "\" quotes. See
// https://git-scm.com/docs/gitignore "PATTERN FORMAT".
//
// It owns matching only; it parses no files and reads no config.
package wildmatch
