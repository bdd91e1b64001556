package lifecycle

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// ItemRefError is an item reference that names no item or several.
type ItemRefError struct {
	Ref     string
	Matches []*mdstate.Item
	Total   int
}

func (e *ItemRefError) Error() string {
	if len(e.Matches) == 0 {
		if _, err := strconv.Atoi(e.Ref); err == nil {
			return fmt.Sprintf("there is no item %s (TODO.md has %d)", e.Ref, e.Total)
		}
		return fmt.Sprintf("no item matches %q", e.Ref)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%q matches %d items:", e.Ref, len(e.Matches))
	for i, it := range e.Matches {
		if i == 5 {
			fmt.Fprintf(&b, " …")
			break
		}
		fmt.Fprintf(&b, " %d (%s);", it.N, it.Text)
	}
	return strings.TrimSuffix(b.String(), ";")
}

func (e *ItemRefError) Hint() string {
	if len(e.Matches) > 1 {
		return "name the item by its number, or by more of its text"
	}
	return "wf todo list   (items are named by number or by a unique piece of their text)"
}

// ResolveItem finds the item ref names: its number in `wf todo list`, or a
// piece of its text (case-insensitive) that no other item has.
func ResolveItem(t *mdstate.Todo, ref string) (*mdstate.Item, error) {
	ref = strings.TrimSpace(ref)
	if n, err := strconv.Atoi(strings.TrimPrefix(ref, "#")); err == nil {
		if it, err := t.Item(n); err == nil {
			return it, nil
		}
		return nil, &ItemRefError{Ref: ref, Total: len(t.Items)}
	}
	var matches []*mdstate.Item
	low := strings.ToLower(ref)
	for _, it := range t.Items {
		if strings.EqualFold(it.Text, ref) {
			return it, nil
		}
		if low != "" && strings.Contains(strings.ToLower(it.Text), low) {
			matches = append(matches, it)
		}
	}
	if len(matches) == 1 {
		return matches[0], nil
	}
	return nil, &ItemRefError{Ref: ref, Matches: matches, Total: len(t.Items)}
}

// todoChange adapts an edit of TODO.md to a Change.
func todoChange(edit func(sn *workspace.Snapshot) ([]byte, error)) workspace.Change {
	return func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		out, err := edit(sn)
		return nil, out, err
	}
}

// Mark ticks, unticks or skips the item ref names ([ResolveItem]) in w's
// TODO.md and returns it as written. checkpointID annotates a ticked item;
// reason is required for a skip, and a done item is not skipped (see
// [MarkAll] for several items and for Force).
func Mark(w *workspace.Workspace, ref string, mark mdstate.Mark, checkpointID, reason string) (*mdstate.Item, error) {
	items, _, err := MarkAll(w, []string{ref}, MarkOptions{Mark: mark, Checkpoint: checkpointID, Reason: reason})
	if err != nil {
		return nil, err
	}
	return items[0], nil
}

// Next moves the CURRENT marker of w's TODO.md to the first open item and
// returns it; nil when every item is done or skipped (the marker is then
// removed), a [*mdstate.SuspectsError] when none is open but lines that
// look like items are left.
func Next(w *workspace.Workspace) (*mdstate.Item, error) {
	var n int
	sn, err := w.Update(todoChange(func(sn *workspace.Snapshot) ([]byte, error) {
		n = 0
		if it := sn.Todo.NextOpen(); it != nil {
			n = it.N
		}
		cur := sn.Todo.Current()
		if len(cur) == 1 && cur[0].N == n || len(cur) == 0 && n == 0 {
			return nil, nil
		}
		out, after, err := sn.Todo.SetCurrent(n)
		sn.Edited(nil, after)
		return out, err
	}))
	if err == nil && n == 0 && len(sn.Todo.Suspects) > 0 {
		return nil, &mdstate.SuspectsError{Path: sn.Todo.Src.Path, Suspects: sn.Todo.Suspects}
	}
	if err != nil || n == 0 {
		return nil, err
	}
	return sn.Todo.Items[n-1], nil
}

// AddOptions place a new item.
type AddOptions struct {
	Phase string // section title; default: the current phase's section
	Under string // parent item reference, for a sub-item
}

// AddResult is what [Add] wrote.
type AddResult struct {
	Item *mdstate.Item
	// PhaseAdded is set when Phase named a phase the phase table did not
	// have: a PENDING row was added to it, in the table's shape.
	PhaseAdded string
}

// Add appends an open item to w's TODO.md (creating the file when it is
// missing) and returns it as written. See [AddItem] for the phase table.
func Add(w *workspace.Workspace, text string, o AddOptions) (*mdstate.Item, error) {
	res, err := AddItem(w, text, o)
	if err != nil {
		return nil, err
	}
	return res.Item, nil
}

// AddItem appends an open item to w's TODO.md (creating the file when it
// is missing). When o.Phase names a phase that workflow-state.md's phase
// table lacks, a PENDING row for it is added to the table in the same
// locked update, so that the section is a phase and `wf lint` passes.
func AddItem(w *workspace.Workspace, text string, o AddOptions) (*AddResult, error) {
	if workspace.OneLine(text) == "" {
		return nil, ErrEmptyText
	}
	var before []*mdstate.Item
	added := ""
	pin := pins{}
	sn, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		added = ""
		under := 0
		if o.Under != "" {
			it, err := pin.resolve(sn.Todo, o.Under)
			if err != nil {
				return nil, nil, err
			}
			under = it.N
		}
		sec := workspace.OneLine(o.Phase)
		if sec == "" && under == 0 {
			if p := sn.State.Get("phase"); p != "" {
				for _, s := range sn.Todo.Sections {
					if strings.EqualFold(s.Title, p) {
						sec = s.Title
					}
				}
			}
		}
		if row := sn.State.Phase(sec); sec != "" && row != nil {
			sec = row.Name // the table's spelling
		}
		var state []byte
		if o.Phase != "" && under == 0 && sn.State.PhaseTable > 0 && sn.State.Phase(sec) == nil {
			out, st, err := sn.State.AddPhaseRow(sec, "PENDING")
			if err != nil {
				return nil, nil, err
			}
			state, added = out, sec
			sn.Edited(st, nil)
		}
		before = sn.Todo.Items
		out, after, err := sn.Todo.Add(text, sec, under)
		sn.Edited(nil, after)
		return state, out, err
	})
	if err != nil {
		return nil, err
	}
	w.RecordTodoAdded(text)
	// The edit was verified to insert exactly one item: the first position
	// where the lists differ.
	for i, it := range sn.Todo.Items {
		if i >= len(before) || before[i].Text != it.Text || before[i].Line != it.Line {
			return &AddResult{Item: it, PhaseAdded: added}, nil
		}
	}
	return nil, fmt.Errorf("internal error: the added item is not in %s", workspace.TodoFile)
}

// Decide appends a timestamped entry to the decisions log of w's
// workflow-state.md and returns the entry as written.
func Decide(w *workspace.Workspace, text string) (string, error) {
	if workspace.OneLine(text) == "" {
		return "", ErrEmptyText
	}
	entry := w.Now().Format(workspace.Timestamp) + ": " + workspace.OneLine(text)
	_, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		out, after, err := sn.State.AppendEntry("decisions", entry)
		sn.Edited(after, nil)
		return out, nil, err
	})
	return entry, err
}

// Filter selects the items `wf todo list` shows: open only when openOnly
// is set, and those of one phase (matched case-insensitively) when phase
// is not empty.
func Filter(items []*mdstate.Item, openOnly bool, phase string) []*mdstate.Item {
	var out []*mdstate.Item
	for _, it := range items {
		if openOnly && !it.IsOpen() || phase != "" && !strings.EqualFold(it.Phase, phase) {
			continue
		}
		out = append(out, it)
	}
	return out
}
