package lifecycle

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Phases as a state machine (seed 002; seed 000 for executeOnce and
// loopMaxIterations): a row of the phase table moves PENDING →
// IN_PROGRESS → COMPLETE, or to SKIPPED, or to BLOCKED when a loop limit
// is reached; `wf phase reopen` moves a finished row back to IN_PROGRESS.
// Each move writes the row's cells in the table's shape, the Current
// phase field and a timeline line. A phase's rules are a setting:
//
//	- phase Deploy: once, review
//	- phase Testing: max-loops=3
//
// once: never re-run once complete (reopening needs --force, logged);
// review: auto mode does not start it by itself, it waits for approval;
// max-loops=N: at most N reopenings, the one past escalates to blocked.
// In manual mode every phase transition is a wait for `wf approve`.

// PhaseRule is a phase's rules from its setting.
type PhaseRule struct {
	Once     bool `json:"once"`
	Review   bool `json:"review"`
	MaxLoops int  `json:"max_loops"` // 0: no limit
}

// String writes the rule as its setting's value; "" for no rule.
func (r PhaseRule) String() string {
	var parts []string
	if r.Once {
		parts = append(parts, "once")
	}
	if r.Review {
		parts = append(parts, "review")
	}
	if r.MaxLoops > 0 {
		parts = append(parts, "max-loops="+strconv.Itoa(r.MaxLoops))
	}
	return strings.Join(parts, ", ")
}

// ParsePhaseRule reads a phase setting's value ("once, review,
// max-loops=3").
func ParsePhaseRule(v string) (PhaseRule, error) {
	var r PhaseRule
	for _, p := range strings.Split(v, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		switch {
		case p == "":
		case p == "once":
			r.Once = true
		case p == "review":
			r.Review = true
		case strings.HasPrefix(p, "max-loops="):
			n, err := strconv.Atoi(strings.TrimPrefix(p, "max-loops="))
			if err != nil || n < 1 {
				return r, fmt.Errorf("phase rule %q: max-loops needs a number of at least 1", p)
			}
			r.MaxLoops = n
		default:
			return r, fmt.Errorf("phase rule %q is not once, review or max-loops=N", p)
		}
	}
	return r, nil
}

// phaseSettingKey is the setting of phase name's rules.
func phaseSettingKey(name string) string { return "phase " + name }

// RuleOf returns the rules of phase name in st (none when it has no
// setting), and an error naming a setting that cannot be read.
func RuleOf(st *mdstate.State, name string) (PhaseRule, error) {
	for _, s := range st.Settings {
		if strings.EqualFold(strings.TrimSpace(s.Key), phaseSettingKey(name)) {
			r, err := ParsePhaseRule(s.Value)
			if err != nil {
				return r, fmt.Errorf("%s:%d: %w", st.Src.Path, s.Line, err)
			}
			return r, nil
		}
	}
	return PhaseRule{}, nil
}

// Loops counts the reopenings of phase name in st's timeline.
func Loops(st *mdstate.State, name string) int {
	n := 0
	for _, c := range Timeline(st) {
		if strings.EqualFold(c.Phase(), name) && c.To == "IN_PROGRESS" && (c.From == "COMPLETE" || c.From == "SKIPPED" || c.From == "BLOCKED") {
			n++
		}
	}
	return n
}

// PhaseView is a phase row as the phase commands report it.
type PhaseView struct {
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	Entered   string    `json:"entered"`
	Completed string    `json:"completed"`
	Rule      PhaseRule `json:"rule"`
	Loops     int       `json:"loops"`
}

func viewPhase(st *mdstate.State, name string) PhaseView {
	row := st.Phase(name)
	if row == nil {
		return PhaseView{Name: name}
	}
	r, _ := RuleOf(st, row.Name)
	return PhaseView{Name: row.Name, Status: normPhase(row.Status), Entered: row.Entered, Completed: row.Completed, Rule: r, Loops: Loops(st, row.Name)}
}

func normPhase(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// PhaseOptions are what the phase commands take.
type PhaseOptions struct {
	Signal
	// Force allows what the rules refuse (completing with open items,
	// re-running a once phase, starting while another is in progress);
	// the timeline line says it was forced.
	Force bool
	// approved is set when wf approve carries out a transition that manual
	// mode or a review phase made a wait.
	approved bool
}

// PhaseResult is what `wf phase …` reports.
type PhaseResult struct {
	Schema int       `json:"schema"`
	Phase  PhaseView `json:"phase"`
	// Started is the phase started after a completion (auto mode); nil
	// when none was.
	Started *PhaseView `json:"started,omitempty"`
	// Wait is the approval declared instead of a transition (manual mode,
	// or a review phase next); nil when none was.
	Wait           *Wait    `json:"wait,omitempty"`
	Escalated      bool     `json:"escalated"`
	Status         string   `json:"status"`
	PreviousStatus string   `json:"previous_status"`
	Changes        []Change `json:"changes"`
	Checkpoint     string   `json:"checkpoint,omitempty"`
}

// PhaseStateError is a transition the phase's row does not allow.
type PhaseStateError struct {
	Phase, Status, Verb string
	// Target is the phase the command named, when the refusal is about
	// another one (Phase); "" when it is Phase itself.
	Target        string
	Msg, HintText string
}

func (e *PhaseStateError) Error() string {
	t := e.Target
	if t == "" {
		t = e.Phase
	}
	return fmt.Sprintf("wf phase %s %s: phase %s is %s: %s", e.Verb, quoteIfNeeded(t), e.Phase, e.Status, e.Msg)
}

// Hint says how to go on.
func (e *PhaseStateError) Hint() string { return e.HintText }

// timeLayouts are the shapes of Entered/Completed cells wf recognises,
// to write new times in the shape the table already uses.
var timeLayouts = []string{workspace.Timestamp, "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02", "15:04"}

// cellTime formats now in the shape of the table's filled Entered and
// Completed cells (DESIGN.md §3.1 writes "09:45"); wf's timestamp when
// none is filled.
func cellTime(st *mdstate.State, now time.Time) string {
	for _, p := range st.Phases {
		for _, c := range []string{p.Entered, p.Completed} {
			c = strings.TrimSpace(c)
			for _, l := range timeLayouts {
				if _, err := time.Parse(l, c); err == nil || (l == workspace.Timestamp && hasZoneSuffix(c)) && len(c) == len(l) {
					return now.Format(l)
				}
			}
		}
	}
	return now.Format(workspace.Timestamp)
}

func phaseUpdate(w *workspace.Workspace, fn func(e *stateEdit, sn *workspace.Snapshot, res *PhaseResult) error) (*PhaseResult, error) {
	var res *PhaseResult
	_, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		res = &PhaseResult{Schema: workspace.SchemaVersion, Changes: []Change{}}
		prev, err := CurrentStatus(sn.State)
		if err != nil {
			return nil, nil, err
		}
		res.PreviousStatus = prev
		e := newStateEdit(w, sn.State)
		if err := fn(e, sn, res); err != nil {
			return nil, nil, err
		}
		res.Status, _ = CurrentStatus(e.st)
		res.Changes = append(res.Changes, e.changes...)
		if res.Phase.Name != "" {
			res.Phase = viewPhase(e.st, res.Phase.Name)
		}
		if res.Started != nil {
			v := viewPhase(e.st, res.Started.Name)
			res.Started = &v
		}
		return e.done(sn), nil, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// phaseRow finds the row of name; a phase TODO.md has but the table lacks
// gets a PENDING row first.
func (e *stateEdit) phaseRow(sn *workspace.Snapshot, name string) (*mdstate.PhaseRow, error) {
	name = workspace.OneLine(name)
	if row := e.st.Phase(name); row != nil {
		return row, nil
	}
	if err := CheckPhase(sn, name); err != nil {
		return nil, err
	}
	if e.st.PhaseTable == 0 {
		return nil, &hinted{fmt.Errorf("%s has no phase table", e.st.Src.Path), "add a \"## Phase Status\" section with a | Phase | Status | Entered | Completed | table"}
	}
	for _, sec := range sn.Todo.Sections {
		if strings.EqualFold(sec.Title, name) {
			name = sec.Title
		}
	}
	if err := e.keep(e.st.AddPhaseRow(name, "PENDING")); err != nil {
		return nil, err
	}
	return e.st.Phase(name), nil
}

// setPhase moves row name to status with a timeline line, writing the
// Entered or Completed cell.
func (e *stateEdit) setPhase(name, to string, s Signal, why string) error {
	row := e.st.Phase(name)
	from := normPhase(row.Status)
	if err := e.cell(row.Name, "status", to); err != nil {
		return err
	}
	t := cellTime(e.st, e.w.Now())
	switch to {
	case "IN_PROGRESS":
		if err := e.cell(row.Name, "entered", t); err != nil {
			return err
		}
		if err := e.cell(row.Name, "completed", "--"); err != nil {
			return err
		}
		if err := e.field("phase", row.Name); err != nil {
			return err
		}
	case "COMPLETE", "SKIPPED":
		if err := e.cell(row.Name, "completed", t); err != nil {
			return err
		}
	}
	return e.change(Change{Subject: "phase " + row.Name, From: from, To: to, Who: s.Who, Why: why})
}

// live refuses a phase transition while the run is paused, stopped,
// blocked or waiting.
func (e *stateEdit) live(verb string) error {
	st, err := CurrentStatus(e.st)
	if err != nil {
		return err
	}
	switch st {
	case "paused":
		return PausedBy(e.st)
	case "stopped":
		return &TransitionError{From: st, To: "running", Why: "wf phase " + verb}
	case "blocked":
		return &hinted{fmt.Errorf("wf phase %s: the run is blocked (%s)", verb, Plural(len(e.st.Blockers), "blocker", "blockers")), "wf status   (then wf unblock N)"}
	case "awaiting":
		return &WaitPendingError{Waits: Waits(e.st), Cmd: "wf phase " + verb}
	}
	return nil
}

// approval declares a wait for approval of action instead of doing it.
func (e *stateEdit) approval(action string, s Signal, res *PhaseResult) error {
	for _, wt := range Waits(e.st) {
		if wt.Action == action {
			return &hinted{fmt.Errorf("%s already waits for approval (%s)", action, wt.ID), wt.Resolve}
		}
	}
	wt := Wait{ID: nextWaitID(e.st), Kind: "approval", Cond: action, Action: action, By: s.Who, Parsed: true}
	if err := e.addWait(wt, s); err != nil {
		return err
	}
	ws := Waits(e.st)
	res.Wait = &ws[len(ws)-1]
	return nil
}

// PhaseStart starts phase name (`wf phase start`): PENDING →
// IN_PROGRESS, Current phase set, and idle → running. In manual mode it
// declares a wait for approval instead.
func PhaseStart(w *workspace.Workspace, name string, o PhaseOptions) (*PhaseResult, error) {
	return phaseUpdate(w, func(e *stateEdit, sn *workspace.Snapshot, res *PhaseResult) error {
		return e.phaseStart(sn, name, o, res)
	})
}

func (e *stateEdit) phaseStart(sn *workspace.Snapshot, name string, o PhaseOptions, res *PhaseResult) error {
	if !o.approved {
		if err := e.live("start"); err != nil {
			return err
		}
	}
	row, err := e.phaseRow(sn, name)
	if err != nil {
		return err
	}
	name = row.Name
	res.Phase.Name = name
	rule, err := RuleOf(e.st, name)
	if err != nil {
		return err
	}
	switch st := normPhase(row.Status); st {
	case "PENDING":
	case "IN_PROGRESS":
		return &PhaseStateError{Phase: name, Status: st, Verb: "start", Msg: "it is already in progress", HintText: "wf phase complete " + quoteIfNeeded(name)}
	case "COMPLETE", "SKIPPED", "BLOCKED":
		msg := "a finished phase is reopened, not started"
		if rule.Once && st == "COMPLETE" {
			msg = "it runs once (executeOnce) and is complete"
		}
		return &PhaseStateError{Phase: name, Status: st, Verb: "start", Msg: msg, HintText: "wf phase reopen " + quoteIfNeeded(name) + ` --why "…"`}
	default:
		return &PhaseStateError{Phase: name, Status: row.Status, Verb: "start", Msg: "that is not a phase status wf knows", HintText: "edit the row to one of: " + strings.Join(PhaseStatuses(), ", ")}
	}
	why := o.Why
	for _, p := range e.st.Phases {
		if p != row && normPhase(p.Status) == "IN_PROGRESS" {
			if !o.Force {
				return &PhaseStateError{Phase: p.Name, Status: "IN_PROGRESS", Verb: "start", Target: name, Msg: "finish it first",
					HintText: "wf phase complete " + quoteIfNeeded(p.Name) + "   (or wf phase start " + quoteIfNeeded(name) + " --force, logged)"}
			}
			why = strings.TrimSpace(why + " (forced while " + p.Name + " is in progress)")
		}
	}
	if !o.approved && Mode(e.st) == "manual" {
		return e.approval("phase start "+name, o.Signal, res)
	}
	if err := e.setPhase(name, "IN_PROGRESS", o.Signal, why); err != nil {
		return err
	}
	if st, _ := CurrentStatus(e.st); st != "running" {
		return e.status("running", o.Who, "phase "+name+" started", "wf phase start")
	}
	return nil
}

// OpenItemsError refuses to complete a phase with open items.
type OpenItemsError struct {
	Phase string
	Open  []*mdstate.Item
}

func (e *OpenItemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "phase %s has %s:", e.Phase, Plural(len(e.Open), "open item", "open items"))
	for i, it := range e.Open {
		if i == 3 {
			b.WriteString(" …")
			break
		}
		fmt.Fprintf(&b, " %d (%s);", it.N, it.Text)
	}
	return strings.TrimSuffix(b.String(), ";")
}

// Hint says how to go on.
func (e *OpenItemsError) Hint() string {
	return "wf todo list --open --phase " + quoteIfNeeded(e.Phase) + "   (or wf phase complete " + quoteIfNeeded(e.Phase) + " --force, logged)"
}

// PhaseComplete completes phase name, or the current phase when name is
// "" (`wf phase complete`): IN_PROGRESS → COMPLETE, refused with open
// items unless Force. Then the next PENDING phase starts in auto mode,
// unless its rule is review (a wait for approval); after the last phase
// the run is completed. In manual mode the completion is a wait for
// approval.
func PhaseComplete(w *workspace.Workspace, name string, o PhaseOptions) (*PhaseResult, error) {
	return phaseUpdate(w, func(e *stateEdit, sn *workspace.Snapshot, res *PhaseResult) error {
		return e.phaseComplete(sn, name, o, res)
	})
}

func (e *stateEdit) phaseComplete(sn *workspace.Snapshot, name string, o PhaseOptions, res *PhaseResult) error {
	if !o.approved {
		if err := e.live("complete"); err != nil {
			return err
		}
	}
	if strings.TrimSpace(name) == "" {
		name = e.st.Get("phase")
		if name == "" {
			return &hinted{fmt.Errorf("wf phase complete: no phase named and no Current phase field"), "wf phase complete NAME"}
		}
	}
	row := e.st.Phase(name)
	if row == nil {
		return &PhaseError{Name: name, Known: Phases(sn)}
	}
	name = row.Name
	res.Phase.Name = name
	switch st := normPhase(row.Status); st {
	case "IN_PROGRESS":
	case "PENDING":
		return &PhaseStateError{Phase: name, Status: st, Verb: "complete", Msg: "it has not started", HintText: "wf phase start " + quoteIfNeeded(name)}
	default:
		return &PhaseStateError{Phase: name, Status: st, Verb: "complete", Msg: "only a phase in progress completes", HintText: "wf status"}
	}
	var open []*mdstate.Item
	for _, it := range sn.Todo.Items {
		if it.IsOpen() && strings.EqualFold(it.Phase, name) {
			open = append(open, it)
		}
	}
	why := o.Why
	if len(open) > 0 {
		if !o.Force {
			return &OpenItemsError{Phase: name, Open: open}
		}
		why = strings.TrimSpace(why + " (forced with " + Plural(len(open), "open item", "open items") + ")")
	}
	if !o.approved && Mode(e.st) == "manual" {
		return e.approval("phase complete "+name, o.Signal, res)
	}
	if err := e.setPhase(name, "COMPLETE", o.Signal, why); err != nil {
		return err
	}
	return e.advance(sn, name, o, res)
}

// advance starts the phase after done: the next PENDING row. In auto
// mode it starts unless its rule is review; otherwise an approval is
// declared. With none left, the run is completed.
func (e *stateEdit) advance(sn *workspace.Snapshot, done string, o PhaseOptions, res *PhaseResult) error {
	var next *mdstate.PhaseRow
	after := false
	for _, p := range e.st.Phases {
		if strings.EqualFold(p.Name, done) {
			after = true
			continue
		}
		if after && normPhase(p.Status) == "PENDING" {
			next = p
			break
		}
	}
	if next == nil {
		for _, p := range e.st.Phases {
			if s := normPhase(p.Status); s != "COMPLETE" && s != "SKIPPED" {
				return nil // an earlier phase is still open: no auto start
			}
		}
		return e.status("completed", o.Who, "every phase is complete", "")
	}
	rule, err := RuleOf(e.st, next.Name)
	if err != nil {
		return err
	}
	if rule.Review || Mode(e.st) == "manual" {
		return e.approval("phase start "+next.Name, o.Signal, res)
	}
	if err := e.setPhase(next.Name, "IN_PROGRESS", o.Signal, "after "+done); err != nil {
		return err
	}
	v := PhaseView{Name: next.Name}
	res.Started = &v
	return nil
}

// PhaseReopen moves a finished phase back to IN_PROGRESS (`wf phase
// reopen NAME --why`). A once phase that is complete needs Force; with
// max-loops N, the reopening past N escalates instead: the row becomes
// BLOCKED, a blocker is recorded and the status is blocked (Force
// overrides the limit, logged). A phase in progress after it goes back to
// PENDING.
func PhaseReopen(w *workspace.Workspace, name string, o PhaseOptions) (*PhaseResult, error) {
	if workspace.OneLine(o.Why) == "" {
		return nil, fmt.Errorf("wf phase reopen needs --why: %w", ErrEmptyText)
	}
	return phaseUpdate(w, func(e *stateEdit, sn *workspace.Snapshot, res *PhaseResult) error {
		return e.phaseReopen(sn, name, o, res)
	})
}

func (e *stateEdit) phaseReopen(sn *workspace.Snapshot, name string, o PhaseOptions, res *PhaseResult) error {
	if !o.approved {
		st, err := CurrentStatus(e.st)
		if err != nil {
			return err
		}
		if st == "paused" {
			return PausedBy(e.st)
		}
		if st == "stopped" || st == "awaiting" {
			return e.live("reopen")
		}
	}
	row := e.st.Phase(name)
	if row == nil {
		return &PhaseError{Name: name, Known: Phases(sn)}
	}
	name = row.Name
	res.Phase.Name = name
	rule, err := RuleOf(e.st, name)
	if err != nil {
		return err
	}
	st := normPhase(row.Status)
	switch st {
	case "COMPLETE", "SKIPPED", "BLOCKED":
	default:
		return &PhaseStateError{Phase: name, Status: st, Verb: "reopen", Msg: "only a complete, skipped or blocked phase reopens", HintText: "wf status"}
	}
	why := o.Why
	if rule.Once && st == "COMPLETE" {
		if !o.Force {
			return &PhaseStateError{Phase: name, Status: st, Verb: "reopen", Msg: "it runs once (executeOnce) and is never re-run",
				HintText: "wf phase reopen " + quoteIfNeeded(name) + ` --why "…" --force   (logged)`}
		}
		why += " (forced: a once phase)"
	}
	if st == "BLOCKED" && !o.Force {
		return &PhaseStateError{Phase: name, Status: st, Verb: "reopen", Msg: "it reached its loop limit; a person decides",
			HintText: "wf phase reopen " + quoteIfNeeded(name) + ` --why "…" --force   (logged)`}
	}
	if !o.approved && Mode(e.st) == "manual" {
		return e.approval("phase reopen "+name, o.Signal, res)
	}
	loops := Loops(e.st, name)
	if rule.MaxLoops > 0 && loops >= rule.MaxLoops && !o.Force {
		// loopMaxIterations: the attempt past the bound escalates.
		res.Escalated = true
		if err := e.cell(name, "status", "BLOCKED"); err != nil {
			return err
		}
		if err := e.change(Change{Subject: "phase " + name, From: st, To: "BLOCKED", Who: o.Who, Why: fmt.Sprintf("loop limit: %d reopenings (max-loops=%d); %s", loops, rule.MaxLoops, why)}); err != nil {
			return err
		}
		if err := e.entry("blockers", fmt.Sprintf("%s: loop limit reached on phase %s: %d reopenings (max-loops=%d); last reason: %s", e.now, name, loops, rule.MaxLoops, workspace.OneLine(o.Why))); err != nil {
			return err
		}
		from, _ := CurrentStatus(e.st)
		if from != "blocked" {
			if err := e.field("status", "blocked"); err != nil {
				return err
			}
			return e.change(Change{Subject: "status", From: from, To: "blocked", Who: o.Who, Why: "loop limit of phase " + name})
		}
		return nil
	}
	if loops >= rule.MaxLoops && rule.MaxLoops > 0 {
		why += " (forced past max-loops)"
	}
	for _, p := range e.st.Phases {
		if p != row && normPhase(p.Status) == "IN_PROGRESS" {
			if err := e.cell(p.Name, "status", "PENDING"); err != nil {
				return err
			}
			if err := e.change(Change{Subject: "phase " + p.Name, From: "IN_PROGRESS", To: "PENDING", Who: o.Who, Why: "phase " + name + " reopened"}); err != nil {
				return err
			}
		}
	}
	if err := e.setPhase(name, "IN_PROGRESS", o.Signal, why); err != nil {
		return err
	}
	if cur, _ := CurrentStatus(e.st); cur == "completed" || cur == "idle" || cur == "error" {
		return e.status("running", o.Who, "phase "+name+" reopened", "wf phase reopen")
	}
	return nil
}

// PhaseAdd adds phase name to the phase table, PENDING, with its rules
// (`wf phase add NAME [--once] [--review] [--max-loops N]`). Giving rules
// for a phase the table has sets its rules.
func PhaseAdd(w *workspace.Workspace, name string, rule PhaseRule, o PhaseOptions) (*PhaseResult, error) {
	name = workspace.OneLine(name)
	if name == "" {
		return nil, ErrEmptyText
	}
	if strings.ContainsAny(name, ":=") {
		return nil, fmt.Errorf("phase name %q: wf keeps phase rules in a setting keyed by the name, so it may not hold ':' or '='", name)
	}
	return phaseUpdate(w, func(e *stateEdit, sn *workspace.Snapshot, res *PhaseResult) error {
		res.Phase.Name = name
		if row := e.st.Phase(name); row != nil {
			if rule == (PhaseRule{}) {
				return &hinted{fmt.Errorf("the phase table already has %q", row.Name), "wf phase add " + quoteIfNeeded(row.Name) + " --once|--review|--max-loops N   (sets its rules)"}
			}
			res.Phase.Name = row.Name
		} else {
			if e.st.PhaseTable == 0 {
				return &hinted{fmt.Errorf("%s has no phase table", e.st.Src.Path), "add a \"## Phase Status\" section with a | Phase | Status | Entered | Completed | table"}
			}
			if err := e.keep(e.st.AddPhaseRow(name, "PENDING")); err != nil {
				return err
			}
			if err := e.change(Change{Subject: "phase " + name, From: "--", To: "PENDING", Who: o.Who, Why: o.Why}); err != nil {
				return err
			}
		}
		if rule != (PhaseRule{}) {
			key := phaseSettingKey(res.Phase.Name)
			return e.keep(e.st.PutSetting(key, func(string) bool { return true }, rule.String()))
		}
		return nil
	})
}

// phaseAction carries out an approved "phase start|complete|reopen NAME".
func (e *stateEdit) phaseAction(sn *workspace.Snapshot, action string, o PhaseOptions) (*PhaseResult, error) {
	verb, name, _ := strings.Cut(strings.TrimPrefix(action, "phase "), " ")
	res := &PhaseResult{Schema: workspace.SchemaVersion, Changes: []Change{}}
	res.PreviousStatus, _ = CurrentStatus(e.st)
	o.Why = "approved"
	var err error
	switch verb {
	case "start":
		err = e.phaseStart(sn, name, o, res)
	case "complete":
		err = e.phaseComplete(sn, name, o, res)
	case "reopen":
		o.Why = "approved reopening"
		err = e.phaseReopen(sn, name, o, res)
	default:
		err = fmt.Errorf("the approved action %q is not phase start|complete|reopen NAME", action)
	}
	if err != nil {
		return nil, err
	}
	res.Phase = viewPhase(e.st, res.Phase.Name)
	res.Status, _ = CurrentStatus(e.st)
	return res, nil
}

// advanceDue reports whether the current phase is IN_PROGRESS, the run
// running and every item of the phase done or skipped.
func advanceDue(st *mdstate.State, td *mdstate.Todo) bool {
	row := st.Phase(st.Get("phase"))
	if row == nil || normPhase(row.Status) != "IN_PROGRESS" {
		return false
	}
	if cur, _ := CurrentStatus(st); cur != "running" {
		return false
	}
	done, skipped, total := td.Counts(row.Name)
	return total > 0 && done+skipped == total
}

// AutoAdvance completes the current phase when its last item is ticked
// (after `wf todo done`) and starts the next one as [PhaseComplete] does;
// nil when there is nothing to do (the phase has open items, is not in
// progress, or the run is not running).
//
// after, when not nil, is the snapshot the tick left ([MarkAll]): when it
// shows nothing to do, AutoAdvance returns at once, without reading and
// parsing the files again under the lock (which doubled the cost of `wf
// todo done` on a large TODO.md); when it shows something, the check is
// made again under the lock.
func AutoAdvance(w *workspace.Workspace, after *workspace.Snapshot, s Signal) (*PhaseResult, error) {
	if after != nil && !advanceDue(after.State, after.Todo) {
		return nil, nil
	}
	var did bool
	res, err := phaseUpdate(w, func(e *stateEdit, sn *workspace.Snapshot, res *PhaseResult) error {
		did = false
		if !advanceDue(e.st, sn.Todo) {
			return nil
		}
		did = true
		row := e.st.Phase(e.st.Get("phase"))
		return e.phaseComplete(sn, row.Name, PhaseOptions{Signal: Signal{Who: s.Who, Why: "last item ticked"}}, res)
	})
	if err != nil || !did {
		return nil, err
	}
	return res, nil
}
