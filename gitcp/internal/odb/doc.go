// Package odb reads git's object database for gitcp's hot paths: pack
// files with their version 2 index (.pack/.idx, git's
// Documentation/gitformat-pack.txt, https://git-scm.com/docs/gitformat-pack),
// offset and reference deltas, and loose objects (zlib-deflated
// "<type> <size>\x00<content>", gitformat-loose), and it computes object
// ids ([HashObject]: the SHA-1 of that header and the content).
//
// It owns finding an object by id in the mapped indexes, decoding entry
// headers, inflating, applying deltas and parsing loose headers. It must not
// write objects, read alternates, multi-pack indexes or version 1 pack
// indexes (those objects are [ErrNotHere], and gitcp reads them through
// go-git), nor interpret object contents. Decoders return an error on any
// input and never allocate more than the input can hold (a size field is
// checked against deflate's 1032:1 limit and a delta's output against its
// length first).
package odb
