// Package config reads git configuration files: the syntax of git's
// Documentation/config.txt and git-config(1) ("CONFIGURATION FILE",
// https://git-scm.com/docs/git-config#_configuration_file) — sections,
// quoted subsections, values with quotes, escapes, comments and line
// continuations — and include.path, plus where git looks for the system,
// XDG and global files.
//
// It owns turning file contents into a flat key → values view ([Config]).
// includeIf sections are followed when the caller's [Config].Cond says
// their condition holds (gitcp evaluates gitdir:, gitdir/i:, onbranch: and
// hasconfig:remote.*.url:). It does not implement value types beyond
// booleans, or writing; it must not decide what a setting means (gitcp does) and never
// fails: a malformed line is skipped where git would refuse the file, and
// an unreadable file is skipped. Parsing never panics on any input.
package config
