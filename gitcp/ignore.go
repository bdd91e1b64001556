package gitcp

import (
	"os"
	"path/filepath"

	"github.com/wf-tool/wf/gitcp/internal/ignore"
)

// baseIgnores loads core.excludesFile (or the XDG default) and
// CommonDir/info/exclude, lowest priority first.
func (r *Repo) baseIgnores() *ignore.List {
	var list *ignore.List
	ex, ok := r.cfg.get("core.excludesfile")
	if !ok {
		if x := xdgConfigHome(); x != "" {
			ex = filepath.Join(x, "git", "ignore")
		}
	}
	if ex != "" {
		if data, err := os.ReadFile(expandHome(ex)); err == nil {
			list = &ignore.List{Rules: ignore.Parse(data, "")}
		}
	}
	if data, err := os.ReadFile(filepath.Join(r.CommonDir, "info", "exclude")); err == nil {
		list = &ignore.List{Parent: list, Rules: ignore.Parse(data, "")}
	}
	return list
}
