// Package tree reads and writes the content of git tree objects, as
// described in git's Documentation/gitformat-object.txt (the "tree" object
// type; https://git-scm.com/docs/gitformat-object): a sequence of entries
// "<octal mode> <name>\x00<20-byte object id>", with no header and no
// separator, sorted by [Compare], git's base_name_compare (tree.c): names
// compare byte-wise, a subtree's name as if followed by "/".
//
// It owns the bytes of one tree: [Parse], [AppendEntry], [EncodedLen] and
// the order. Building trees from the index, reading them from the object
// database, hashing them and diffing them stay in gitcp, which holds the
// repository state they need; the cache-tree index extension that records
// built trees is internal/index's. Parse returns an error on any input,
// never panics, and allocates only in proportion to the input's length.
package tree
