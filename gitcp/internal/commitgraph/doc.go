// Package commitgraph reads git's commit-graph files (objects/info/
// commit-graph and the split chain under objects/info/commit-graphs), as
// specified in git's Documentation/gitformat-commit-graph.txt
// (https://git-scm.com/docs/gitformat-commit-graph), version 1 with SHA-1
// object ids: the OIDF fanout, OIDL object ids, CDAT parents and committer
// dates and EDGE extra parents of octopus merges. Other chunks (generation
// numbers, Bloom filters, BASE) are not read.
//
// It owns parsing and validating the bytes it is given ([New]) and
// answering position, parent and date queries ([Graph]). It must not open,
// map or choose files, nor decide whether git would use the graph (shallow
// clones, grafts, core.commitGraph): gitcp does. [New] checks every chunk
// bound and every parent position once, so queries never panic; no input
// makes it panic or allocate more than a few words per layer.
package commitgraph
