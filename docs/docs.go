// Package docs embeds wf's reference pages, the Markdown files in this
// folder, so that `wf help TOPIC` prints the same text the repository
// shows and the two cannot drift apart.
package docs

import (
	"embed"
	"fmt"
)

//go:embed *.md
var pages embed.FS

// Page returns the bytes of the page name ("files.md", "exit-codes.md"),
// or an error when no such page is embedded.
func Page(name string) ([]byte, error) {
	b, err := pages.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("docs: no page %s", name)
	}
	return b, nil
}

// Pages lists the embedded page names in lexical order.
func Pages() []string {
	entries, _ := pages.ReadDir(".") // an embed.FS root always reads
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}
