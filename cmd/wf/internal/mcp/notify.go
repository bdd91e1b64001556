package mcp

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/mdstate"
	"github.com/wf-tool/wf/spec"
)

// settle is how long the watcher waits after a file event for more
// before it notifies: an editor's save (write a temp file, rename it over
// the file) and wf's own atomic write are each one notification.
const settle = 50 * time.Millisecond

// watcher sends notifications/resources/updated for the files behind the
// subscribed resources. It watches folders, not files (an editor's
// rename drops a watch on the file; fsnotify's README): the state root
// for workflow-state.md, TODO.md and the latest checkpoint (a checkpoint
// sets Last checkpoint in workflow-state.md), and the specs folder. It
// starts at the first subscription and runs until [Server.Close]; the SDK
// keeps who is subscribed to what and notifies only them.
type watcher struct {
	s *Server

	mu      sync.Mutex
	fsw     *fsnotify.Watcher
	root    string // the state root
	specs   string // the specs folder ("" until a spec is subscribed)
	pending map[string]bool
	timer   *time.Timer
	closed  bool
}

func newWatcher(s *Server) *watcher { return &watcher{s: s, pending: map[string]bool{}} }

// subscribe is resources/subscribe: it checks that the URI names a wf
// resource of a workflow that is there, and watches its folder.
func (s *Server) subscribe(ctx context.Context, req *sdk.SubscribeRequest) error {
	uri := req.Params.URI
	kind, _, err := parseURI(uri)
	if err != nil {
		return sdk.ResourceNotFoundError(uri)
	}
	e := s.env(nil)
	ws, _, err := verbs.StateFiles(e)
	if err != nil {
		return errors.New(ErrorText(err))
	}
	specs := ""
	if kind == resSpec {
		if specs, err = verbs.SpecsDir(e); err != nil {
			return errors.New(ErrorText(err))
		}
	}
	return s.watch.add(ws.Root, specs)
}

// add watches the state root and, when not "", the specs folder (or,
// while it does not exist, waits for the root to get it).
func (w *watcher) add(root, specs string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errors.New("wf mcp is closing")
	}
	if w.fsw == nil {
		fsw, err := fsnotify.NewWatcher()
		if err != nil {
			return err
		}
		w.fsw = fsw
		go w.loop(fsw)
	}
	if root != w.root {
		if err := w.fsw.Add(root); err != nil {
			return err
		}
		w.root = root
	}
	if specs != "" && specs != w.specs {
		w.specs = specs
		// A missing specs folder is watched from when it is created.
		_ = w.fsw.Add(specs)
	}
	return nil
}

// loop turns file events into pending URIs until the watcher closes.
func (w *watcher) loop(fsw *fsnotify.Watcher) {
	for {
		select {
		case ev, ok := <-fsw.Events:
			if !ok {
				return
			}
			w.event(ev)
		case err, ok := <-fsw.Errors:
			if !ok {
				return
			}
			w.s.logf("file watch: %v (a changed resource may go unnotified)", err)
		}
	}
}

// event maps one file event to the URIs it changes.
func (w *watcher) event(ev fsnotify.Event) {
	if ev.Op == fsnotify.Chmod {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	dir, base := filepath.Dir(ev.Name), filepath.Base(ev.Name)
	if mdstate.IsTempName(base) {
		return
	}
	var uris []string
	switch {
	case dir == w.root && base == workspace.StateFile:
		uris = []string{uriState, uriLatest}
	case dir == w.root && base == workspace.TodoFile:
		uris = []string{uriTodo}
	case ev.Name == w.specs && ev.Has(fsnotify.Create):
		_ = w.fsw.Add(w.specs)
	case dir == w.specs && strings.HasSuffix(base, ".md") && !strings.HasSuffix(base, spec.ResultSuffix):
		name := strings.TrimSuffix(base, ".md")
		if spec.ValidateName(name) == nil {
			uris = []string{uriSpecPrefix + name}
		}
	}
	if len(uris) == 0 || w.closed {
		return
	}
	for _, u := range uris {
		w.pending[u] = true
	}
	if w.timer == nil {
		w.timer = time.AfterFunc(settle, w.flush)
	}
}

// flush sends the pending notifications.
func (w *watcher) flush() {
	w.mu.Lock()
	uris := w.pending
	w.pending, w.timer = map[string]bool{}, nil
	closed := w.closed
	w.mu.Unlock()
	if closed {
		return
	}
	for u := range uris {
		if err := w.s.srv.ResourceUpdated(context.Background(), &sdk.ResourceUpdatedNotificationParams{URI: u}); err != nil {
			w.s.logf("notifying %s: %v", u, err)
		}
	}
}

// close stops the watch.
func (w *watcher) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	if w.timer != nil {
		w.timer.Stop()
	}
	if w.fsw != nil {
		w.fsw.Close()
	}
}
