package gitcp

import (
	"github.com/wf-tool/wf/gitcp/internal/secretscan"
)

// MaxFileSize is the size above which a file is refused unless listed in
// CommitOptions.AllowLarge.
const MaxFileSize = 10 << 20

// SecretFinding is one reason a file looks like a secret.
type SecretFinding struct {
	Rule        string // the rule's id, e.g. "private-key-block", "url-credentials"
	Description string
	Line        int // 1-based; 0 when the file's name is the reason
}

// AllowedSecret is a file that looks like a secret and went into a commit
// because [CommitOptions].AllowSecret named it.
type AllowedSecret struct {
	Path string
	Blob Hash // the blob id of the content that was allowed
	Rule string
	Line int
}

// ScanSecrets returns why the file at path (slash-separated, from the top
// level) with content data looks like a secret, nil when it does not. The
// rules are wf's own, written from providers' documented credential
// formats (tokens with known prefixes, JWTs, high-entropy assignments,
// credentials in URLs and .netrc, bearer tokens, webhooks, PuTTY and PEM
// private keys, .env, .netrc and .git-credentials files); UTF-16 text is decoded first and
// other binary content is checked by name only. The commit's secret check
// is this function; bench/secrets runs it over source trees.
func ScanSecrets(path string, data []byte) ([]SecretFinding, error) {
	s, err := secretscan.Default()
	if err != nil {
		return nil, err
	}
	fs, err := s.Scan(path, data)
	if err != nil {
		return nil, err
	}
	out := make([]SecretFinding, len(fs))
	for i, f := range fs {
		out[i] = SecretFinding{Rule: f.Rule, Description: f.Description, Line: f.Line}
	}
	return out, nil
}
