package sections

import "strings"

// Section returns the first section whose title equals title ignoring case
// (Unicode simple folding, strings.EqualFold), or nil. DESIGN.md §3.1: wf
// matches heading names case-insensitively.
func (d *Doc) Section(title string) *Section {
	return d.SectionFunc(func(t string) bool { return strings.EqualFold(t, title) })
}

// SectionFunc returns the first section whose title satisfies match, or
// nil. To take every matching section (a title that repeats, or several
// titles a classifier maps to one key), range over [Doc.Sections].
func (d *Doc) SectionFunc(match func(title string) bool) *Section {
	for i := range d.Sections {
		if match(d.Sections[i].Title) {
			return &d.Sections[i]
		}
	}
	return nil
}
