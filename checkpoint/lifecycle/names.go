package lifecycle

// Hand-written matchers for the short names and ids this package checks:
// effect keys, session ids, retry buckets and signal names, wait ids and
// the time-zone suffix of a timestamp. Each replaces a package-level
// regexp (quoted in its doc) that was compiled at every start of wf,
// whatever the command (issue 12: the bounded repetitions {0,99} and
// {0,127} alone cost 0.3 ms and 200 KB); names_test.go and
// FuzzNameMatchers compare each with the regexp it replaces. They look at
// bytes: every character they accept is ASCII, so a multi-byte or invalid
// UTF-8 sequence is refused as the regexp refuses it.

// isAlnum reports whether c is an ASCII letter or digit ([A-Za-z0-9]).
func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isDigit reports whether c is an ASCII digit (\d in Go's regexp).
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// validName reports whether s is one character for which first holds,
// then at most max-1 characters for which rest holds.
func validName(s string, max int, first, rest func(byte) bool) bool {
	if s == "" || len(s) > max || !first(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !rest(s[i]) {
			return false
		}
	}
	return true
}

// validEffectKey is ^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$: an effect key.
func validEffectKey(s string) bool {
	return validName(s, 100, isAlnum, func(c byte) bool {
		return isAlnum(c) || c == '.' || c == '_' || c == '-'
	})
}

// validSessionID is ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$: a session id.
func validSessionID(s string) bool {
	return validName(s, 128, isAlnum, func(c byte) bool {
		return isAlnum(c) || c == '.' || c == '_' || c == ':' || c == '-'
	})
}

// validBucket is ^[a-z0-9][a-z0-9-]*$: a retry bucket or a signal name.
func validBucket(s string) bool {
	lower := func(c byte) bool { return 'a' <= c && c <= 'z' || isDigit(c) }
	return validName(s, len(s), lower, func(c byte) bool { return lower(c) || c == '-' })
}

// waitIDNumber is ^w([1-9][0-9]{0,8})$: for a wait id ("w12") it returns
// its number's digits ("12") and true.
func waitIDNumber(s string) (string, bool) {
	if len(s) < 2 || s[0] != 'w' || !validName(s[1:], 9, func(c byte) bool { return '1' <= c && c <= '9' }, isDigit) {
		return "", false
	}
	return s[1:], true
}

// hasZoneSuffix is ` [+-]\d\d:\d\d$`: s ends in a blank and a numeric
// time-zone offset (" +02:00"), as [workspace.Timestamp] writes it.
func hasZoneSuffix(s string) bool {
	if len(s) < 7 {
		return false
	}
	z := s[len(s)-7:]
	return z[0] == ' ' && (z[1] == '+' || z[1] == '-') && isDigit(z[2]) && isDigit(z[3]) &&
		z[4] == ':' && isDigit(z[5]) && isDigit(z[6])
}

// isWaitID reports whether s is a wait id ("w12").
func isWaitID(s string) bool {
	_, ok := waitIDNumber(s)
	return ok
}
