// Package mmap maps whole files read-only for the pack, pack index and
// commit-graph readers: mmap(2) on Unix, a plain read elsewhere (files over
// 64 MiB are then refused, so callers fall back to slower readers). It owns
// no format and must not be used for files that are written while mapped.
package mmap
