package secretscan

// matcher finds which of a set of ASCII keywords occur in a text, ignoring
// ASCII case, in one pass (an Aho-Corasick automaton with every transition
// precomputed).
type matcher struct {
	delta [][256]int32 // state × byte → state
	out   [][]int32    // state → keywords ending here (through fail links too)
	n     int          // number of keywords
}

// newMatcher builds the automaton for keywords (already lower-case).
func newMatcher(keywords []string) *matcher {
	size := 1
	for _, k := range keywords {
		size += len(k)
	}
	m := &matcher{delta: make([][256]int32, 1, size), out: make([][]int32, 1, size), n: len(keywords)}
	for i := range m.delta[0] {
		m.delta[0][i] = -1
	}
	for id, k := range keywords {
		s := int32(0)
		for i := 0; i < len(k); i++ {
			c := k[i]
			if m.delta[s][c] < 0 {
				m.delta = append(m.delta, [256]int32{})
				m.out = append(m.out, nil)
				ns := int32(len(m.delta) - 1)
				for j := range m.delta[ns] {
					m.delta[ns][j] = -1
				}
				m.delta[s][c] = ns
			}
			s = m.delta[s][c]
		}
		m.out[s] = append(m.out[s], int32(id))
	}
	// Breadth-first: complete the transitions with the fail links.
	fail := make([]int32, len(m.delta))
	var queue []int32
	for c := 0; c < 256; c++ {
		if t := m.delta[0][c]; t >= 0 {
			fail[t] = 0
			queue = append(queue, t)
		} else {
			m.delta[0][c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		m.out[s] = append(m.out[s], m.out[fail[s]]...)
		for c := 0; c < 256; c++ {
			t := m.delta[s][c]
			if t < 0 {
				m.delta[s][c] = m.delta[fail[s]][c]
				continue
			}
			fail[t] = m.delta[fail[s]][c]
			queue = append(queue, t)
		}
	}
	// Fold ASCII upper case onto lower case.
	for s := range m.delta {
		for c := 'A'; c <= 'Z'; c++ {
			m.delta[s][c] = m.delta[s][c+'a'-'A']
		}
	}
	return m
}

// find returns, for each keyword, the offsets of the lines where it
// occurs (the offset of each line's first byte, once per line, in order).
func (m *matcher) find(text []byte) [][]int {
	lines := make([][]int, m.n)
	s := int32(0)
	line := 0
	for i, c := range text {
		s = m.delta[s][c]
		for _, id := range m.out[s] {
			if l := lines[id]; len(l) == 0 || l[len(l)-1] != line {
				lines[id] = append(lines[id], line)
			}
		}
		if c == '\n' {
			line = i + 1
		}
	}
	return lines
}
