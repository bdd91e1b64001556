package gitcp

import (
	"bytes"
	"math"
	"path"
	"regexp"
	"strings"
)

// MaxFileSize is the size above which a file is refused unless listed in
// CommitOptions.AllowLarge.
const MaxFileSize = 10 << 20

var (
	secretPatterns = []struct {
		re     *regexp.Regexp
		reason string
	}{
		{regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`), "private key (PEM header)"},
		{regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), "AWS access key id"},
		{regexp.MustCompile(`\bghp_[A-Za-z0-9]{36}\b|\bgh[ousr]_[A-Za-z0-9]{36}\b`), "GitHub token"},
		{regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{22,}`), "GitHub fine-grained token"},
		{regexp.MustCompile(`\bxox[bpas]-[A-Za-z0-9-]{10,}`), "Slack token"},
		{regexp.MustCompile(`\b[sr]k_live_[A-Za-z0-9]{16,}`), "Stripe live key"},
		{regexp.MustCompile(`\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{32,}`), "OpenAI-style API key"},
		{regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`), "Google API key"},
	}
	// NAME = value assignments whose name says secret.
	assignRe = regexp.MustCompile(`(?i)\b([A-Z0-9_.-]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CLIENT_?SECRET|AUTH)[A-Z0-9_]*)["']?\s*[:=]\s*["']?([A-Za-z0-9+/=_\-.~]{16,})`)
)

// classifySecretName refuses .env files (but not documented templates such
// as .env.example) and well-known private key file names.
func classifySecretName(p string) string {
	base := path.Base(p)
	switch {
	case base == ".env":
		return ".env file"
	case strings.HasPrefix(base, ".env."):
		switch strings.TrimPrefix(base, ".env.") {
		case "example", "sample", "template", "dist", "defaults":
			return ""
		}
		return ".env file"
	case base == "id_rsa" || base == "id_dsa" || base == "id_ecdsa" || base == "id_ed25519":
		return "SSH private key file"
	}
	return ""
}

// scanSecret returns why data looks like a secret, or "".
func scanSecret(data []byte) string {
	if len(data) > 0 && bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return "" // binary
	}
	for _, p := range secretPatterns {
		if p.re.Match(data) {
			return p.reason
		}
	}
	for _, m := range assignRe.FindAllSubmatch(data, 20) {
		v := m[2]
		if entropy(v) >= 3.5 && !placeholder(v) {
			return "high-entropy value assigned to " + string(m[1])
		}
	}
	return ""
}

func placeholder(v []byte) bool {
	s := strings.ToLower(string(v))
	for _, w := range []string{"example", "changeme", "xxxx", "your", "placeholder", "dummy", "redacted"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// entropy is the Shannon entropy of b in bits per byte.
func entropy(b []byte) float64 {
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	var h float64
	n := float64(len(b))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}
