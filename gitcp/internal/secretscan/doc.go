// Package secretscan decides whether a file looks like a secret: a
// private key, a token with a known format, a password in a URL or a
// .netrc, a high-entropy value assigned to a name that says secret, or a
// file whose name says secret (.env, .netrc, .git-credentials, *.ppk).
//
// The rules are data, embedded from wf.json: wf's own rules, written from
// providers' documented credential formats. The rule model and detection
// follow gitleaks' documented configuration format: a rule's
// regexp runs only when one of its keywords occurs in the file (one
// Aho-Corasick pass, ASCII case-insensitive), the secret is the rule's
// secret group (else its first non-empty group, else the match), a rule
// with an entropy threshold needs a secret above it, and a finding is
// dropped when an allowlist of its rule set or of its rule matches (by
// path, by regexp on the secret, the match or the line, or by stopword).
// There is deliberately no inline marker that silences a line: whoever
// writes the file (an agent, too) could add one; wf's one way to accept a
// flagged file is `--allow-secret`, remembered per file and content in
// Settings. gitleaks' decoding passes
// (base64, hex, percent-encoding) are not run.
//
// Text in UTF-16 (LE or BE, with or without a byte order mark) is decoded
// before scanning; other files with a NUL byte in their first 8000 bytes
// are binary and only the path rules apply to them.
//
// The package owns detection only; what a commit does with a finding
// belongs to gitcp. It keeps no mutable state: [Default] compiles the rule
// sets once and each rule's regexp on its first use. It never panics on
// any input, and its regexps are RE2, so time is linear in the input.
package secretscan
