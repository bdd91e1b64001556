// Package tokens estimates how many tokens a text costs a language model,
// without shipping a tokenizer: wf resume and wf spec prompt use it to stay
// within a token budget. It owns the estimator and its calibration (see
// tokens_test.go, against tiktoken's cl100k_base and o200k_base); it knows
// nothing of wf's files, and never reads or writes anything.
package tokens

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token estimation.
//
// wf keeps the resume context under a token budget without shipping a
// tokenizer: no vocabulary download, no network, no large tables. Bytes/4
// is off by −29% to +55% on Markdown, because Markdown mixes English
// words (about 4–6 bytes a token), punctuation and table rules (1–2 bytes
// a token), numbers, hex ids (1–2 bytes a token) and CJK text (3 bytes a
// character, about 1–1.4 tokens a character).
//
// EstimateTokens follows the pre-tokenisation that BPE tokenizers of the
// GPT family (cl100k_base, o200k_base) do before merging — runs of
// letters, runs of up to three digits, runs of punctuation, whitespace —
// and charges each run what such runs cost on average in those
// tokenizers, then adds a safety margin. The per-run costs and the margin
// were fitted in tokens_test.go (TestEstimateTokensCalibration) against
// the real tokenizers over real state, TODO and checkpoint files, and that
// test fails if the estimate ever falls below the true count.

// Costs are in thousandths of a token.
const (
	milli = 1000

	costDigits   = 1000 // a run of 1–3 digits is one token in both encodings
	costNewline  = 1000 // a run of line breaks (with the blanks around them)
	costSpaceRun = 1000 // two or more blanks (indentation, alignment)
	costHan      = 1250 // a Chinese character (cl100k: 1.28 alone, fewer in context)
	costHangul   = 1300 // a Hangul syllable (cl100k: 1.38 alone, fewer in context)
	costKana     = 1100 // a hiragana or katakana character
	costOther2   = 650  // a 2-byte letter (Cyrillic, Greek, accented Latin)
	costOther3   = 1500 // a 3-byte letter of another script
	costSym2     = 1000 // a 2-byte symbol or mark (e.g. ©, ×)
	costSym3     = 1500 // a 3-byte symbol (→, ✅, —, CJK punctuation)
	costSym4     = 3000 // a 4-byte symbol (emoji)

	// marginNum/marginDen scale the sum, and marginAdd is added, so
	// that the estimate stays at or above the true count of both
	// encodings for whole files and for short slices of them.
	marginNum = 115
	marginDen = 100
	marginAdd = 6
)

// wordCost is the average cost of a run of n ASCII letters in lower case
// or capitalised ("the", "Resume") with its leading blank, for n < len.
var wordCost = [...]int{0, 1000, 1000, 1100, 1100, 1100, 1150, 1250, 1400, 1550, 1700, 1850, 2000, 2150, 2300}

// ASCII byte classes.
const (
	cPunct = iota
	cLetter
	cUpper
	cDigit
	cBlank
	cBreak
)

var asciiClass = func() (t [128]uint8) {
	for c := range t {
		switch {
		case c >= 'a' && c <= 'z':
			t[c] = cLetter
		case c >= 'A' && c <= 'Z':
			t[c] = cUpper
		case c >= '0' && c <= '9':
			t[c] = cDigit
		case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			t[c] = cBlank
		case c == '\n' || c == '\r':
			t[c] = cBreak
		default:
			t[c] = cPunct // includes control characters: one token or more each
		}
	}
	return
}()

// EstimateTokens returns an estimate of the number of tokens s takes in a
// BPE tokenizer of the GPT family (cl100k_base, o200k_base), erring on the
// safe side: calibrated to be at least the true count of both, and on
// typical Markdown 10–30% above it. It is cheap (one pass, no allocation)
// and needs no vocabulary. The empty string is 0 tokens.
func EstimateTokens(s string) int {
	if s == "" {
		return 0
	}
	total := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			total += runeCost(r, n)
			i += n
			continue
		}
		j := i + 1
		switch asciiClass[c] {
		case cLetter, cUpper:
			for j < len(s) && s[j] < utf8.RuneSelf && (asciiClass[s[j]] == cLetter || asciiClass[s[j]] == cUpper) {
				j++
			}
			total += letterRunCost(s[i:j])
		case cDigit:
			for j < len(s) && s[j] < utf8.RuneSelf && asciiClass[s[j]] == cDigit {
				j++
			}
			total += (j - i + 2) / 3 * costDigits
		case cPunct:
			for j < len(s) && s[j] < utf8.RuneSelf && asciiClass[s[j]] == cPunct {
				j++
			}
			total += punctCost(s[i:j])
		case cBlank, cBreak:
			breaks := asciiClass[c] == cBreak
			for j < len(s) && s[j] < utf8.RuneSelf && (asciiClass[s[j]] == cBlank || asciiClass[s[j]] == cBreak) {
				breaks = breaks || asciiClass[s[j]] == cBreak
				j++
			}
			n := j - i
			switch {
			case breaks:
				// Line breaks and the indentation after them: a token or
				// two, more for long blank stretches.
				total += costNewline + n/8*milli
			case n == 1:
				// A single blank joins the word after it.
			default:
				total += costSpaceRun + n/16*milli
			}
		}
		i = j
	}
	return (total*marginNum/marginDen+milli-1)/milli + marginAdd
}

// letterRunCost is the cost of a run of ASCII letters. The run is cut
// into parts the way o200k_base cuts words: optional capitals then lower
// case ("XMLHttp", "Request"), or capitals alone ("TODO"). Mostly short
// parts with odd casing mean random-looking text (base64, API tokens),
// which BPE splits into pieces of one or two letters.
func letterRunCost(w string) int {
	cost, parts, short, odd := 0, 0, 0, false
	for k := 0; k < len(w); {
		u := k
		for u < len(w) && asciiClass[w[u]] == cUpper {
			u++
		}
		l := u
		for l < len(w) && asciiClass[w[l]] == cLetter {
			l++
		}
		nu, nl := u-k, l-u
		switch {
		case nu <= 1:
			cost += wordLen(nu + nl)
		case nl == 0:
			// ALL CAPS (TODO, IMPLEMENTING) tokenizes worse than lower case.
			cost += milli + (nu-2)*250
		default:
			// Capitals then lower case: an acronym and a word ("XMLHttp").
			cost += milli + (nu-2)*250 + wordLen(nl)
		}
		if nu+nl <= 2 {
			short++
		}
		// Capitals then lower case ("ZHvo"), or one lower-case letter
		// then a capital ("wZ"), are rare in words and common in
		// random text.
		odd = odd || nu >= 2 && nl >= 1 || k == 0 && nu == 0 && nl == 1 && l < len(w)
		parts++
		k = l
	}
	if odd && parts >= 2 && short*2 >= parts {
		// Mostly one- and two-letter parts: random-looking.
		cost = max(cost, len(w)*950)
	}
	return cost
}

// wordLen is the cost of a word of n letters, lower case or capitalised.
func wordLen(n int) int {
	if n < len(wordCost) {
		return wordCost[n]
	}
	// Long words (identifiers, German compounds) split into pieces of
	// three to four letters.
	return wordCost[len(wordCost)-1] + (n-len(wordCost)+1)*350
}

// punctCost is the cost of a run of ASCII punctuation. Mixed runs merge
// poorly ("|---|---|", "**](", "\")": about one token per two
// characters); a run of one repeated character ("=====", "-----") merges
// well.
func punctCost(p string) int {
	n := len(p)
	if n >= 4 && strings.Count(p, p[:1]) == n {
		return milli + (n+7)/8*milli
	}
	return max(milli, (n+1)*milli/2)
}

// runeCost is the cost of a non-ASCII rune r of n bytes.
func runeCost(r rune, n int) int {
	switch {
	case r == utf8.RuneError && n == 1:
		return milli // an invalid byte is one byte-level token
	case unicode.Is(unicode.Han, r):
		return costHan
	case unicode.Is(unicode.Hangul, r):
		return costHangul
	case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
		return costKana
	case unicode.IsLetter(r) || unicode.IsMark(r):
		if n == 2 {
			return costOther2
		}
		return costOther3
	case unicode.IsSpace(r):
		return milli
	case n == 2:
		return costSym2
	case n == 3:
		return costSym3
	default:
		return costSym4
	}
}

// TruncateToTokens returns the longest prefix of s that ends at a line
// boundary and whose estimate is at most budget, and whether it cut
// anything. When not even the first line fits, the result is "" (and
// true). A budget of zero or less gives "".
func TruncateToTokens(s string, budget int) (string, bool) {
	if EstimateTokens(s) <= budget {
		return s, false
	}
	if budget <= 0 {
		return "", s != ""
	}
	// The estimate is not exactly additive (the margin), so search on
	// the estimate of whole prefixes: binary search over line ends,
	// relying on the estimate of a prefix growing with the prefix.
	var ends []int // byte offsets just past each '\n'
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], '\n')
		if k < 0 {
			break
		}
		i += k + 1
		ends = append(ends, i)
	}
	lo, hi := 0, len(ends) // ends[:lo] fit; ends[hi:] do not
	for lo < hi {
		mid := (lo + hi) / 2
		if EstimateTokens(s[:ends[mid]]) <= budget {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return "", true
	}
	return s[:ends[lo-1]], true
}

// Margin is the fixed part of [EstimateTokens]'s safety margin, added
// once to every non-empty text: the sum of [EstimatePart] over a text's
// parts plus Margin is not below the estimate of the whole.
const Margin = marginAdd

// EstimatePart is a part's share of [EstimateTokens] of a text made of
// parts that each end at a line break: the estimator's fixed margin is
// added once for the whole text, not once per part, so the sum of the
// parts' shares is not below the estimate of the joined text. The empty
// string is 0.
func EstimatePart(s string) int {
	if s == "" {
		return 0
	}
	return EstimateTokens(s) - marginAdd
}
