package lifecycle

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The regexps that names.go and the first-use effectRe replace, as they
// were: the hand matchers must agree with them on every input.
var (
	oldEffectKeyRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)
	oldSessionRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)
	oldBucketRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	oldWaitIDRe    = regexp.MustCompile(`^w([1-9][0-9]{0,8})$`)
	oldTZRe        = regexp.MustCompile(` [+-]\d\d:\d\d$`)
	oldEffectRe    = regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d(?: [+-]\d\d:\d\d)?): ([A-Za-z0-9][A-Za-z0-9._-]{0,99}): (.*?)(?: \(by (\S+)\))?$`)
)

// checkNameMatchers fails t where a hand matcher and its regexp disagree
// on s.
func checkNameMatchers(t *testing.T, s string) {
	t.Helper()
	if got, want := validEffectKey(s), oldEffectKeyRe.MatchString(s); got != want {
		t.Errorf("validEffectKey(%q) = %v, regexp says %v", s, got, want)
	}
	if got, want := validSessionID(s), oldSessionRe.MatchString(s); got != want {
		t.Errorf("validSessionID(%q) = %v, regexp says %v", s, got, want)
	}
	if got, want := validBucket(s), oldBucketRe.MatchString(s); got != want {
		t.Errorf("validBucket(%q) = %v, regexp says %v", s, got, want)
	}
	digits, ok := waitIDNumber(s)
	if m := oldWaitIDRe.FindStringSubmatch(s); ok != (m != nil) || ok && digits != m[1] {
		t.Errorf("waitIDNumber(%q) = %q, %v; regexp says %q", s, digits, ok, m)
	}
	if got, want := isWaitID(s), oldWaitIDRe.MatchString(s); got != want {
		t.Errorf("isWaitID(%q) = %v, regexp says %v", s, got, want)
	}
	if got, want := hasZoneSuffix(s), oldTZRe.MatchString(s); got != want {
		t.Errorf("hasZoneSuffix(%q) = %v, regexp says %v", s, got, want)
	}
	e, ok := ParseEffect(s)
	if m := oldEffectRe.FindStringSubmatch(s); ok != (m != nil) || ok && (e != Effect{When: m[1], Key: m[2], Text: m[3], Who: m[4]}) {
		t.Errorf("ParseEffect(%q) = %+v, %v; regexp says %q", s, e, ok, m)
	}
}

// nameCases are the edges of each matcher: lengths at and past the
// bounds, every separator, non-ASCII and invalid UTF-8, a final newline
// (which $ does not match before).
func nameCases() []string {
	key := func(n int) string { return "k" + strings.Repeat("a", n-1) }
	effect := func(k string) string { return "2026-11-30 12:00: " + k + ": deployed (by agent)" }
	cases := []string{
		"", "a", "A", "0", ".", "-", "_", ":", "a.b_c-d", "a:b", "-a", "a-", "ab\n", "\na", "é", "aé", "a\xff",
		"w", "w0", "w1", "w9", "w10", "w123456789", "w1234567890", "w01", "W1", "ww1", "w1a", "w1\n",
		"ci-green", "Ci-green", "ci_green", "ci green", "9", "--",
		" +02:00", " -02:00", "x +02:00", "+02:00", "  +02:00", " +0200", " +02:0", " +02:00\n", " +2:00", " +02:00 ", " ±02:00", "2026-11-30 12:00 +01:00",
		key(99), key(100), key(101), key(127), key(128), key(129), key(300),
		effect("deploy-v1.2"), effect(key(100)), effect(key(101)), effect("a:b"), effect(""),
		"2026-11-30 12:00 +01:00: k: x", "2026-11-30 12:00 +01:00: k: x (by a b)", "2026-11-30 12:00: k: ", "2026-11-30 12:00: k:",
		"2026-11-30 12:00: k: x (by )", "2026-11-30 12:00: k: x (by a)\n", "2026-11-30 12:00: k: (by a) (by b)",
		"2026-11-30 12:00:00: k: x", "2026-11-30T12:00: k: x", "2026-11-30 12:00 +01:00 k: x",
	}
	return cases
}

func TestNameMatchersAgreeWithRegexps(t *testing.T) {
	for _, s := range nameCases() {
		checkNameMatchers(t, s)
	}
	// Random strings over the characters the matchers look at, most of
	// them near the lengths where the bounds bite.
	alphabet := []string{"a", "Z", "0", "9", "1", "w", ".", "_", "-", ":", " ", "+", "(", ")", "by", "é", "\xff", "\n", "\r"}
	r := rand.New(rand.NewPCG(12, 12))
	for range 20000 {
		var b strings.Builder
		if r.IntN(3) == 0 {
			b.WriteString("2026-11-30 12:00")
			if r.IntN(2) == 0 {
				b.WriteString(" +01:00")
			}
			b.WriteString(": ")
		}
		n := r.IntN(12)
		if r.IntN(4) == 0 {
			n = 95 + r.IntN(40)
		}
		for range n {
			if r.IntN(3) > 0 {
				b.WriteByte("abcXYZ0189"[r.IntN(10)])
			} else {
				b.WriteString(alphabet[r.IntN(len(alphabet))])
			}
		}
		if r.IntN(4) == 0 {
			b.WriteString(": text (by agent)")
		}
		checkNameMatchers(t, b.String())
	}
}

func FuzzNameMatchers(f *testing.F) {
	for _, s := range nameCases() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkNameMatchers(t, s) })
}
