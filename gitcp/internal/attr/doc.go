// Package attr reads git's attribute files — .gitattributes at every level
// of the work tree, $GIT_DIR/info/attributes and core.attributesFile — as
// gitattributes(5) specifies them (https://git-scm.com/docs/gitattributes)
// and git's attr.c implements them.
//
// A line is a pattern followed by attributes: "name" sets, "-name" unsets,
// "!name" makes unspecified, "name=value" gives a value. Patterns follow
// gitignore's rules (package wildmatch matches them) except that a negative
// pattern is refused, and a pattern without a slash matches the base name
// at any depth below the file's folder. "[attr]name ..." defines a macro
// (only in the top-level .gitattributes, info/attributes and the global
// and system files); "binary" is the built-in macro "-diff -merge -text".
// For each path the most specific file wins (info/attributes over a
// nested .gitattributes over its parents' over the global file) and,
// inside a file, the last matching line wins; a macro set on a path sets
// the attributes of its definition with the same precedence.
//
// It owns parsing ([Parse]) and lookup ([Stack.Lookup]). It reads no files
// and no config: gitcp finds and reads the sources, in the order git
// uses. Parsing never fails, as git's never does: a line git drops with a
// warning is dropped here too and reported as a [Warning].
package attr
