package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/lint"
	"github.com/wf-tool/wf/checkpoint/resume"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/mdstate"
)

func jsonFlag() cli.Flag {
	return &cli.BoolFlag{Name: "json", Usage: "print a versioned JSON document"}
}

func (e *env) initCmd() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "create workflow-state.md and TODO.md from templates (never overwrites)",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "name", Usage: "project name (default: the folder's name)"},
			&cli.StringFlag{Name: "phases", Usage: "comma-separated phase names", Value: strings.Join(checkpoint.DefaultPhases(), ",")},
			jsonFlag(),
		},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.Init(ve, verbs.InitOptions{Name: c.String("name"), Phases: strings.Split(c.String("phases"), ",")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			for _, p := range res.Created {
				e.printf("created %s\n", p)
			}
			e.printf("next: wf todo add \"first item\" --phase %s\n", verbs.QuoteArg(res.FirstPhase))
			return nil
		}),
	}
}

func (e *env) statusCmd() *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "one screen: phase, status, progress, current item, blockers, waits",
		Flags: []cli.Flag{jsonFlag()},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			v, err := verbs.Status(ve)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(v)
			}
			e.printStatus(v)
			return nil
		}),
	}
}

func (e *env) printStatus(v resume.StatusView) {
	title := v.Project
	if title == "" {
		title = "(untitled workflow)"
	}
	e.printf("%s\n", title)
	e.printf("phase %s · status %s · mode %s\n", orDash(v.Phase), orDash(v.Status), orDash(v.Mode))
	e.printLifecycleHead(v.Lifecycle)
	e.printf("progress %d/%d done", v.Progress.Done, v.Progress.Total)
	if v.Progress.Skipped > 0 {
		e.printf(", %d skipped", v.Progress.Skipped)
	}
	e.printf("\n")
	width := 5
	for _, p := range v.Phases {
		width = max(width, len([]rune(p.Name)))
	}
	for _, p := range v.Phases {
		st := p.Status
		if !p.InTable {
			st = "(not in phase table)"
		}
		e.printf("  %-*s  %-12s %d/%d\n", width, p.Name, st, p.Done, p.Total)
	}
	if v.Current != nil {
		e.printf("current: %d. %s\n", v.Current.N, v.Current.Text)
	} else {
		e.printf("current: none\n")
	}
	if v.Next != nil {
		e.printf("next open: %d. %s\n", v.Next.N, v.Next.Text)
	}
	e.printf("blockers: %s\n", blockersOrNone(v.Blockers))
	e.printWaits(v.Lifecycle.Waits)
	if len(v.Specs) > 0 {
		e.printf("delegations: \n  - %s\n", strings.Join(v.Specs, "\n  - "))
	}
	e.printf("decisions: %d\n", v.DecisionsCount)
	e.printf("last checkpoint: %s\n", orDash(v.LastCheckpointText))
	if len(v.Unrecognised) > 0 {
		e.printf("not used by wf (kept as written):\n")
		for _, u := range v.Unrecognised {
			e.printf("  %s\n", u)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// blockersOrNone lists the blockers with their numbers, as wf unblock
// takes them.
func blockersOrNone(bs []lifecycle.BlockerView) string {
	if len(bs) == 0 {
		return "none"
	}
	var b strings.Builder
	for _, x := range bs {
		fmt.Fprintf(&b, "\n  %d. %s", x.N, x.Text)
	}
	return b.String()
}

func (e *env) lintCmd() *cli.Command {
	return &cli.Command{
		Name:  "lint",
		Usage: "check the state files; file:line diagnostics; exits 5 on errors",
		Flags: []cli.Flag{
			jsonFlag(),
			&cli.StringFlag{Name: "state", Usage: "lint this file as workflow-state.md instead of the workflow's"},
			&cli.StringFlag{Name: "todo", Usage: "lint this file as TODO.md instead of the workflow's"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print errors and warnings only"},
		},
		Action: e.act(0, 0, "no arguments (use --state FILE / --todo FILE for other files)", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.Lint(ve, verbs.LintOptions{State: c.String("state"), Todo: c.String("todo")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if err := e.printJSON(res); err != nil {
					return err
				}
			} else {
				for _, d := range res.Diagnostics {
					if c.Bool("quiet") && d.Severity == lint.SevInfo {
						continue
					}
					e.printf("%s\n", d)
					if d.Hint != "" {
						e.printf("    fix: %s\n", d.Hint)
					}
				}
				if !c.Bool("quiet") {
					for _, r := range res.Recognised {
						e.printf("recognised: %s\n", r)
					}
				}
				e.printf("%s, %s\n", plural(res.Errors, "error", "errors"), plural(res.Warnings, "warning", "warnings"))
			}
			if res.Errors > 0 {
				return &problemsError{n: res.Errors}
			}
			return nil
		}),
	}
}

func (e *env) decideCmd() *cli.Command {
	return &cli.Command{
		Name:      "decide",
		Usage:     "append a timestamped entry to the decisions log",
		ArgsUsage: "TEXT   (several words are joined with spaces)",
		Flags:     []cli.Flag{jsonFlag()},
		Action: e.act(1, -1, "TEXT", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.Decide(ve, strings.Join(c.Args().Slice(), " "))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("decided: %s\n", res.Entry)
			return nil
		}),
	}
}

// blockCmd records a blocker.
func (e *env) blockCmd() *cli.Command {
	return &cli.Command{
		Name:      "block",
		Usage:     "record a blocker under ## Blocking Issues (timestamped) and set Status: blocked",
		ArgsUsage: "TEXT   (several words are joined with spaces)",
		Flags:     []cli.Flag{jsonFlag()},
		Action: e.act(1, -1, "TEXT", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.Block(ve, strings.Join(c.Args().Slice(), " "))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("blocker %d: %s\n", res.Blocker.N, res.Blocker.Text)
			e.printBlockStatus(res)
			e.printf("next: when it is resolved, wf unblock %d\n", res.Blocker.N)
			return nil
		}),
	}
}

// unblockCmd removes a blocker.
func (e *env) unblockCmd() *cli.Command {
	return &cli.Command{
		Name:      "unblock",
		Usage:     "remove blocker N (numbered in wf status); with none left, a blocked workflow is running again",
		ArgsUsage: "N",
		Flags:     []cli.Flag{jsonFlag()},
		Action: e.act(1, 1, "one blocker number", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.Unblock(ve, c.Args().First())
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("removed blocker %d: %s\n", res.Blocker.N, res.Blocker.Text)
			e.printf("%s left\n", plural(len(res.Blockers), "blocker", "blockers"))
			e.printBlockStatus(res)
			return nil
		}),
	}
}

func (e *env) printBlockStatus(res *lifecycle.BlockResult) {
	if !strings.EqualFold(res.Status, res.PreviousStatus) {
		e.printf("status: %s -> %s\n", orDash(res.PreviousStatus), res.Status)
	} else {
		e.printf("status: %s\n", orDash(res.Status))
	}
}

func (e *env) todoCmd() *cli.Command {
	return &cli.Command{
		Name:  "todo",
		Usage: "the checklist in TODO.md",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "number and show the items",
				Flags: []cli.Flag{jsonFlag(), &cli.BoolFlag{Name: "open", Usage: "open items only"}, &cli.StringFlag{Name: "phase", Usage: "items of one phase only"}},
				Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
					items, err := verbs.TodoList(ve, verbs.TodoListOptions{Open: c.Bool("open"), Phase: c.String("phase")})
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return e.printJSON(struct {
							Schema int                  `json:"schema"`
							Items  []lifecycle.ItemView `json:"items"`
						}{workspace.SchemaVersion, items})
					}
					phase := "\x00"
					for _, it := range items {
						if it.Phase != phase {
							phase = it.Phase
							e.printf("%s\n", orDash(phase))
						}
						e.printf("%s\n", formatItem(it))
					}
					if len(items) == 0 {
						e.printf("no items\n")
					}
					return nil
				}),
			},
			{
				Name:      "add",
				Usage:     "add an open item (to the current phase's section by default)",
				ArgsUsage: "TEXT",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "phase", Usage: "the section (H2) to add it to; a new phase gets its section in TODO.md and a PENDING row in the phase table"},
					&cli.StringFlag{Name: "under", Usage: "add as a sub-item of this item (number or text)"},
					jsonFlag(),
				},
				Action: e.act(1, -1, "TEXT", func(c *cli.Context, ve verbs.Env) error {
					res, err := verbs.TodoAdd(ve, verbs.TodoAddOptions{Text: strings.Join(c.Args().Slice(), " "), Phase: c.String("phase"), Under: c.String("under")})
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return e.printJSON(res)
					}
					if res.PhaseAdded != "" {
						e.printf("added phase %s to the phase table in workflow-state.md (PENDING)\n", res.PhaseAdded)
					}
					e.printf("added %s\n", formatItem(res.Item))
					return nil
				}),
			},
			{
				Name:      "edit",
				Usage:     "replace an item's text (its box, annotations, CURRENT marker and sub-items stay)",
				ArgsUsage: "ITEM TEXT   (ITEM: its number, or a unique piece of its text, quoted)",
				Flags:     []cli.Flag{jsonFlag()},
				Action: e.act(2, -1, "ITEM and the new TEXT", func(c *cli.Context, ve verbs.Env) error {
					args := c.Args().Slice()
					res, err := verbs.TodoEdit(ve, verbs.TodoEditOptions{Ref: args[0], Text: strings.Join(args[1:], " ")})
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return e.printJSON(res)
					}
					e.printf("%s\n", formatItem(res.Item))
					return nil
				}),
			},
			{
				Name:      "rm",
				Usage:     "remove an item (one with sub-items only with --recursive)",
				ArgsUsage: "ITEM   (its number, or a unique piece of its text, quoted)",
				Flags:     []cli.Flag{&cli.BoolFlag{Name: "recursive", Aliases: []string{"r"}, Usage: "remove the item's sub-items with it"}, jsonFlag()},
				Action: e.act(1, -1, "one ITEM", func(c *cli.Context, ve verbs.Env) error {
					if err := oneItem(c); err != nil {
						return err
					}
					res, err := verbs.TodoRm(ve, verbs.TodoRmOptions{Ref: c.Args().First(), Recursive: c.Bool("recursive")})
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return e.printJSON(res)
					}
					e.printf("removed %s\n", plural(len(res.Items), "item", "items"))
					for _, it := range res.Items {
						e.printf("%s\n", formatItem(it))
					}
					e.printf("the items after it are numbered down by %d (wf todo list)\n", len(res.Items))
					return nil
				}),
			},
			e.markCmd("done", "tick an item", mdstate.Done),
			e.markCmd("undo", "untick an item", mdstate.Open),
			e.markCmd("skip", "mark an item skipped, with --reason", mdstate.Skipped),
			e.failCmd(),
			{
				Name:  "next",
				Usage: "move the CURRENT marker to the first open item and print it",
				Flags: []cli.Flag{jsonFlag()},
				Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
					it, err := verbs.TodoNext(ve)
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return e.printJSON(struct {
							Schema int                 `json:"schema"`
							Item   *lifecycle.ItemView `json:"item"`
						}{workspace.SchemaVersion, it})
					}
					if it == nil {
						e.printf("every item is done or skipped\n")
						return nil
					}
					e.printf("%s\n", formatItem(*it))
					return nil
				}),
			},
		},
	}
}

func (e *env) markCmd(name, usage string, mark mdstate.Mark) *cli.Command {
	flags := []cli.Flag{jsonFlag()}
	switch mark {
	case mdstate.Done:
		flags = append(flags, &cli.StringFlag{Name: "checkpoint", Usage: "record the checkpoint id that completed it"})
	case mdstate.Skipped:
		flags = append(flags, &cli.StringFlag{Name: "reason", Usage: "why it is skipped (required)"},
			&cli.BoolFlag{Name: "force", Usage: "skip an item that is done (its checkpoint id is kept in the reason)"})
	}
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "ITEM...   (its number in wf todo list, or a unique piece of its text, quoted; several items by number, all or none)",
		Flags:     flags,
		Action: e.act(1, -1, "ITEM", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.TodoMark(ve, verbs.TodoMarkOptions{Refs: c.Args().Slice(), Mark: mark,
				Checkpoint: c.String("checkpoint"), Reason: c.String("reason"), Force: c.Bool("force")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			for _, it := range res.Items {
				e.printf("%s\n", formatItem(it))
			}
			if res.Advanced != nil {
				e.printPhase(res.Advanced)
			}
			return nil
		}),
	}
}

// oneItem refuses several arguments where one item is named: an
// unquoted text would be joined into a search.
func oneItem(c *cli.Context) error {
	if c.Args().Len() < 2 {
		return nil
	}
	name := cmdPath(c)
	return usagef("wf "+name+" "+verbs.QuoteArg(strings.Join(c.Args().Slice(), " "))+"   (quote an item's text as one argument)",
		"wf %s takes one item (got %s)", name, plural(c.Args().Len(), "argument", "arguments"))
}

// failCmd counts a failed attempt on an item (bounded retries).
func (e *env) failCmd() *cli.Command {
	return &cli.Command{
		Name:      "fail",
		Usage:     "count a failed attempt on an item in a retry bucket; the attempt that spends the bucket's budget adds a blocker and sets Status: blocked",
		ArgsUsage: "ITEM --bucket BUCKET   (buckets and budgets: \"- retry:\" under ## Settings)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "bucket", Usage: "the kind of failure, e.g. test-fail, build-fail, tool-error (required)"},
			&cli.StringFlag{Name: "reason", Usage: "what failed, recorded in the blocker when the budget is spent"},
			jsonFlag(),
		},
		Action: e.act(1, -1, "ITEM", func(c *cli.Context, ve verbs.Env) error {
			if err := oneItem(c); err != nil {
				return err
			}
			res, err := verbs.TodoFail(ve, verbs.TodoFailOptions{Ref: c.Args().First(), Bucket: c.String("bucket"), Reason: c.String("reason")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("%s\n", formatItem(res.Item))
			if res.Spent {
				e.printf("retry budget spent: %s %d/%d; added a blocker and set Status: blocked\n", res.Bucket, res.Count, res.Limit)
				e.printf("next: a person decides (fix the cause, raise the budget, or skip: wf todo skip %d --reason \"...\"), then removes the blocker\n", res.Item.N)
				return nil
			}
			e.printf("%s: attempt %d of %d failed; %d left\n", res.Bucket, res.Count, res.Limit, res.Limit-res.Count)
			return nil
		}),
	}
}

func formatItem(it lifecycle.ItemView) string {
	box := map[string]string{"open": "[ ]", "done": "[x]", "skipped": "[-]"}[it.State]
	s := fmt.Sprintf("%4d %s%s %s", it.N, strings.Repeat("  ", it.Depth), box, it.Text)
	if len(it.Failures) > 0 {
		var parts []string
		for _, f := range it.Failures {
			parts = append(parts, fmt.Sprintf("%s %d", f.Bucket, f.Count))
		}
		s += " (failed: " + strings.Join(parts, ", ") + ")"
	}
	if it.Checkpoint != "" {
		s += " (" + it.Checkpoint + ")"
	}
	if it.Reason != "" {
		s += " (skipped: " + it.Reason + ")"
	}
	if it.Current {
		s += "  <-- CURRENT"
	}
	return s
}

// plural is "1 file", "2 files".
func plural(n int, one, many string) string { return lifecycle.Plural(n, one, many) }
