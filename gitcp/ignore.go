package gitcp

import (
	"os"
	"path/filepath"

	"github.com/wf-tool/wf/gitcp/internal/config"
	"github.com/wf-tool/wf/gitcp/internal/ignore"
)

// baseIgnores loads core.excludesFile (or the XDG default) and
// CommonDir/info/exclude, lowest priority first.
func (r *Repo) baseIgnores() *ignore.List {
	var list *ignore.List
	fold := r.cfg.Bool("core.ignorecase", false)
	ex, ok := r.cfg.Get("core.excludesfile")
	if !ok {
		if x := config.XDGConfigHome(); x != "" {
			ex = filepath.Join(x, "git", "ignore")
		}
	}
	if ex != "" {
		if data, err := os.ReadFile(config.ExpandHome(ex)); err == nil {
			list = &ignore.List{Rules: ignore.ParseFold(data, "", fold)}
		}
	}
	if data, err := os.ReadFile(filepath.Join(r.CommonDir, "info", "exclude")); err == nil {
		list = &ignore.List{Parent: list, Rules: ignore.ParseFold(data, "", fold)}
	}
	return list
}
