package sections_test

import (
	"fmt"
	"strings"

	"github.com/wf-tool/wf/mdstate/sections"
)

// A caller classifies section titles into its own keys and merges repeated
// keys, as checkpoint's ParseBody does with the sections of a checkpoint
// body; the lines are the file's, for file:line messages.
func Example_classify() {
	body := "# Checkpoint: Routes\r\n**Date**: x\r\n\r\nIntro.\r\n\r\n" +
		"## Next Actions\r\n1. a\r\n2. b\r\n```\r\n## not a heading\r\n```\r\n" +
		"## Key Decisions\r\n- d1\r\n  continued\r\n## Risks\r\n- r\r\n## next steps\r\n3. c\r\n"
	key := func(title string) string {
		t := strings.ToLower(title)
		switch {
		case strings.Contains(t, "decision"):
			return "decisions"
		case strings.Contains(t, "next"):
			return "next"
		}
		return ""
	}
	d := sections.Parse([]byte(body))
	fmt.Printf("title %q on line %d\n", d.Title, d.TitleLine)
	fmt.Printf("preamble %q\n", d.Preamble)
	merged := map[string][]sections.Item{}
	for i := range d.Sections {
		s := &d.Sections[i]
		k := key(s.Title)
		if k == "" {
			fmt.Printf("unknown section %q on line %d\n", s.Title, s.Line)
			continue
		}
		merged[k] = append(merged[k], s.Items()...)
	}
	for _, k := range []string{"next", "decisions"} {
		for _, it := range merged[k] {
			fmt.Printf("%s: line %d: %s\n", k, it.Line, it.Text)
		}
	}
	fmt.Println(d.Section("key decisions").Line)
	// Output:
	// title "Checkpoint: Routes" on line 1
	// preamble "**Date**: x\n\nIntro."
	// unknown section "Risks" on line 15
	// next: line 7: a
	// next: line 8: b ``` ## not a heading ```
	// next: line 18: c
	// decisions: line 13: d1 continued
	// 12
}
