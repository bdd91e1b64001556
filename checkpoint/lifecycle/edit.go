package lifecycle

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// ErrEmptyText is text that is empty or only blanks where wf writes text
// (an item, a decision, a blocker, a reason).
var ErrEmptyText = errors.New("the text is empty")

// MarkOptions are what [MarkAll] does to each item.
type MarkOptions struct {
	Mark       mdstate.Mark // Done, Open or Skipped
	Checkpoint string       // Done: the checkpoint id that completed it
	Reason     string       // Skipped: why (required)
	// Force allows skipping an item that is done; its checkpoint id is
	// kept in the skip reason ("… ; was done in <id>").
	Force bool
}

// DoneSkipError is a skip of a done item without Force.
type DoneSkipError struct {
	N          int
	Text       string
	Checkpoint string
}

func (e *DoneSkipError) Error() string {
	s := fmt.Sprintf("item %d (%s) is done", e.N, e.Text)
	if e.Checkpoint != "" {
		s += " in checkpoint " + e.Checkpoint
	}
	return s + "; skipping it would hide that it was done"
}

// Hint says how to go on.
func (e *DoneSkipError) Hint() string {
	return fmt.Sprintf("wf todo skip %d --reason \"why\" --force   (the checkpoint id is kept in the reason), or wf todo undo %d first", e.N, e.N)
}

// MarkAll ticks, unticks or skips every item refs names ([ResolveItem]),
// all in one locked update of w's TODO.md: either every item changes or
// none does. An item named twice counts once. It returns the items as
// written, in the order named, and the snapshot as the update left it
// (for [AutoAdvance]'s check).
func MarkAll(w *workspace.Workspace, refs []string, o MarkOptions) ([]*mdstate.Item, *workspace.Snapshot, error) {
	if len(refs) == 0 {
		return nil, nil, fmt.Errorf("no item named")
	}
	if o.Mark == mdstate.Skipped && strings.TrimSpace(o.Reason) == "" {
		return nil, nil, fmt.Errorf("a skip needs a reason: %w", ErrEmptyText)
	}
	var ns []int
	pin := pins{}
	sn, err := w.Update(todoChange(func(sn *workspace.Snapshot) ([]byte, error) {
		ns = ns[:0]
		seen := map[int]bool{}
		for _, ref := range refs {
			it, err := pin.resolve(sn.Todo, ref)
			if err != nil {
				return nil, err
			}
			if !seen[it.N] {
				seen[it.N] = true
				ns = append(ns, it.N)
			}
		}
		td := sn.Todo
		var out []byte
		for _, n := range ns {
			it := td.Items[n-1]
			reason := o.Reason
			if o.Mark == mdstate.Skipped && it.Mark == mdstate.Done {
				if !o.Force {
					return nil, &DoneSkipError{N: it.N, Text: it.Text, Checkpoint: it.Checkpoint}
				}
				if it.Checkpoint != "" {
					reason = workspace.OneLine(reason) + "; was done in " + it.Checkpoint
				}
			}
			if it.Mark == o.Mark && o.Mark != mdstate.Skipped && (o.Mark != mdstate.Done || o.Checkpoint == "" || o.Checkpoint == it.Checkpoint) {
				continue // already so
			}
			if it.Mark == mdstate.Skipped && o.Mark == mdstate.Skipped && it.Reason == workspace.OneLine(reason) {
				continue
			}
			o2, after, err := td.SetMark(n, o.Mark, o.Checkpoint, reason)
			if err != nil {
				return nil, err
			}
			out, td = o2, after
		}
		if out == nil {
			return nil, nil
		}
		sn.Edited(nil, td)
		return out, nil
	}))
	if err != nil {
		return nil, nil, err
	}
	items := make([]*mdstate.Item, 0, len(ns))
	for _, n := range ns {
		items = append(items, sn.Todo.Items[n-1])
	}
	return items, sn, nil
}

// Edit replaces the text of the item ref names, keeping its box,
// annotations, CURRENT marker and sub-items, and returns it as written.
func Edit(w *workspace.Workspace, ref, text string) (*mdstate.Item, error) {
	text = workspace.OneLine(text)
	if text == "" {
		return nil, ErrEmptyText
	}
	var n int
	pin := pins{}
	sn, err := w.Update(todoChange(func(sn *workspace.Snapshot) ([]byte, error) {
		it, err := pin.resolve(sn.Todo, ref)
		if err != nil {
			return nil, err
		}
		n = it.N
		if it.Text == text {
			return nil, nil
		}
		out, after, err := sn.Todo.SetText(it.N, text)
		sn.Edited(nil, after)
		return out, err
	}))
	if err != nil {
		return nil, err
	}
	return sn.Todo.Items[n-1], nil
}

// SubItemsError is a removal of an item that has sub-items, without
// Recursive.
type SubItemsError struct {
	N, Sub int
	Text   string
}

func (e *SubItemsError) Error() string {
	return fmt.Sprintf("item %d (%s) has %s", e.N, e.Text, Plural(e.Sub, "sub-item", "sub-items"))
}

// Hint says how to go on.
func (e *SubItemsError) Hint() string {
	return fmt.Sprintf("wf todo rm %d --recursive   (removes the sub-items too)", e.N)
}

// Remove deletes the item ref names from w's TODO.md; with recursive, its
// sub-items too (without it, an item with sub-items is refused with a
// [*SubItemsError]). It returns the items removed, as they were, the item
// first.
func Remove(w *workspace.Workspace, ref string, recursive bool) ([]*mdstate.Item, error) {
	var gone []*mdstate.Item
	pin := pins{}
	_, err := w.Update(todoChange(func(sn *workspace.Snapshot) ([]byte, error) {
		it, err := pin.resolve(sn.Todo, ref)
		if err != nil {
			return nil, err
		}
		gone = gone[:0]
		for _, x := range sn.Todo.Items[it.N-1:] {
			p := x
			for p != nil && p != it {
				p = p.Parent
			}
			if p == nil {
				break
			}
			gone = append(gone, x)
		}
		if len(gone) > 1 && !recursive {
			return nil, &SubItemsError{N: it.N, Sub: len(gone) - 1, Text: it.Text}
		}
		out, after, err := sn.Todo.Remove(it.N)
		sn.Edited(nil, after)
		return out, err
	}))
	if err != nil {
		return nil, err
	}
	return gone, nil
}

// PhaseError is a phase that neither the phase table nor TODO.md has.
type PhaseError struct {
	Name  string
	Known []string
}

func (e *PhaseError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("there is no phase %q (the workflow has no phases yet)", e.Name)
	}
	return fmt.Sprintf("there is no phase %q (the phases are %s)", e.Name, strings.Join(e.Known, ", "))
}

// Hint says how to go on.
func (e *PhaseError) Hint() string {
	if len(e.Known) == 0 {
		return "wf todo add \"first item\" --phase NAME   (adds the phase)"
	}
	return "wf todo list --phase " + quoteIfNeeded(e.Known[0])
}

func quoteIfNeeded(s string) string {
	if strings.ContainsAny(s, " \t'\"$`\\") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

// Phases lists the phases of a snapshot: the phase table's rows, then
// TODO.md's H2 headings that the table does not name, each once
// (case-insensitively), in order.
func Phases(sn *workspace.Snapshot) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if k := strings.ToLower(p); p != "" && !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	for _, p := range sn.State.Phases {
		add(p.Name)
	}
	for _, sec := range sn.Todo.Sections {
		if sec.Level == 2 {
			add(sec.Title)
		}
	}
	return out
}

// CheckPhase returns a [*PhaseError] unless name is one of the snapshot's
// [Phases] (case-insensitively).
func CheckPhase(sn *workspace.Snapshot, name string) error {
	known := Phases(sn)
	for _, p := range known {
		if strings.EqualFold(p, name) {
			return nil
		}
	}
	return &PhaseError{Name: name, Known: known}
}

// Plural is "1 file", "2 files": n with the singular or plural noun.
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
