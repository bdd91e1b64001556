// Package convert turns work-tree content into the blob "git add" stores:
// git's convert.c for the check-in direction, as gitattributes(5)
// specifies it (https://git-scm.com/docs/gitattributes, "Effects"). In
// git's order: the filter driver ("filter=<driver>": filter.<driver>.clean
// run through sh with %f, or the long-running filter.<driver>.process of
// gitprotocol-common(5) pkt-lines, protocol version 2, "Long Running
// Filter Process" in gitattributes(5)), working-tree-encoding (to UTF-8),
// end-of-line normalisation (text, text=auto, eol, crlf, core.autocrlf,
// core.eol, core.safecrlf, with git's binary detection and its "safer
// autocrlf" rule) and ident ("$Id: ... $" back to "$Id$").
//
// It owns the conversion and the filter processes it starts; it reads no
// attribute files and no config: gitcp looks the attributes up (package
// attr) and hands them over as [Attrs] with the [Config] it read.
package convert
