package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint/resume"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/spec"
)

// specCmd is `wf spec`: spec-driven delegation to sub-agents (DESIGN.md
// §3.4; seed 002).
func (e *env) specCmd() *cli.Command {
	return &cli.Command{
		Name:  "spec",
		Usage: "spec-driven delegation to sub-agents: new, check, list, prompt, delegate, result, verify, integrate, redo",
		Subcommands: []*cli.Command{
			e.specNewCmd(), e.specCheckCmd(), e.specListCmd(), e.specShowCmd(), e.specPromptCmd(), e.specResultCmd(),
			e.specDelegateCmd(), e.specVerifyCmd(), e.specIntegrateCmd(), e.specRedoCmd(),
		},
	}
}

func (e *env) specNewCmd() *cli.Command {
	read, readFlag := multi("read", "a file the sub-agent reads (path from the repository top; add \" (new)\" for a file that does not exist yet)")
	modify, modifyFlag := multi("modify", "a file the sub-agent may change (add \" (new)\" for one it creates)")
	require, requireFlag := multi("require", "a requirement")
	constraint, constraintFlag := multi("constraint", "a constraint")
	return &cli.Command{
		Name:      "new",
		Usage:     "write specs/NAME.md (Goal, Files to Read, Files to Modify, Requirements, Constraints, Deliverable) from the template",
		ArgsUsage: "NAME [-]   (\"-\" or --stdin: read the spec's sections from stdin)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "goal", Usage: "what the sub-agent delivers, and why"},
			readFlag, modifyFlag, requireFlag, constraintFlag,
			&cli.StringFlag{Name: "deliverable", Usage: "what comes back"},
			&cli.StringFlag{Name: "item", Usage: "the TODO item it delivers (number or unique text)"},
			&cli.BoolFlag{Name: "stdin", Usage: "read a Markdown body with the spec's ## sections from stdin"},
			jsonFlag(),
		},
		Action: e.act(1, 2, "NAME, and \"-\" to read the body from stdin", func(c *cli.Context, ve verbs.Env) error {
			name := c.Args().First()
			useStdin := c.Bool("stdin")
			if c.Args().Len() == 2 {
				if c.Args().Get(1) != "-" {
					return usagef("wf spec new "+name+" --goal \"…\" [--read PATH]... [--modify PATH]...", "unexpected argument %q", c.Args().Get(1))
				}
				useStdin = true
			}
			res, err := verbs.SpecNew(ve, verbs.SpecNewOptions{Stdin: useStdin, NewOptions: spec.NewOptions{
				Name: name, Goal: c.String("goal"), Read: read.vals, Modify: modify.vals,
				Require: require.vals, Constraint: constraint.vals, Deliverable: c.String("deliverable"), Item: c.String("item"),
			}})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("created %s\n", res.Spec.Path)
			e.printf("next: edit it, then wf spec check %s and wf spec delegate %s\n", name, name)
			return nil
		}),
	}
}

func (e *env) specCheckCmd() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check a spec (or all): sections filled in, files exist or are marked (new), no file modified by two active specs; exits 5 on problems",
		ArgsUsage: "[NAME]",
		Flags:     []cli.Flag{jsonFlag()},
		Action: e.act(0, 1, "NAME, or nothing to check every spec", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.SpecCheck(ve, c.Args().First())
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if err := e.printJSON(res); err != nil {
					return err
				}
			} else {
				for _, p := range res.Problems {
					e.printf("%s\n", p)
				}
				e.printf("checked %s: %s\n", plural(len(res.Checked), "spec", "specs"), plural(len(res.Problems), "problem", "problems"))
			}
			if len(res.Problems) > 0 {
				return &problemsError{n: len(res.Problems)}
			}
			return nil
		}),
	}
}

func (e *env) specListCmd() *cli.Command {
	return &cli.Command{
		Name:      "list",
		Usage:     "list the specs: name, status, agent, age, files to modify, item",
		ArgsUsage: " ",
		Flags:     []cli.Flag{jsonFlag()},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.SpecList(ve)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			if len(res.Specs) == 0 {
				e.printf("no specs (wf spec new NAME --goal \"…\" writes one)\n")
				return nil
			}
			for _, v := range res.Specs {
				e.printf("%s\n", specLine(v))
			}
			return nil
		}),
	}
}

// specLine is one spec on one line, as list, status and resume show it.
func specLine(v spec.View) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-20s %-10s", v.Name, v.Status)
	if v.Agent != "" {
		fmt.Fprintf(&b, " agent %s", v.Agent)
	}
	if v.Since != "" {
		fmt.Fprintf(&b, " %s", resume.Age(time.Duration(v.AgeSeconds)*time.Second))
	}
	if v.Item > 0 {
		fmt.Fprintf(&b, " item %d", v.Item)
	}
	fmt.Fprintf(&b, " modifies %s", orDash(strings.Join(v.Modify, ", ")))
	return b.String()
}

func (e *env) specShowCmd() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "print a spec's status, its file and its result",
		ArgsUsage: "NAME",
		Flags:     []cli.Flag{jsonFlag()},
		Action: e.act(1, 1, "NAME", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.SpecShow(ve, c.Args().First())
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("%s\n\n%s", specLine(res.Spec), res.Text)
			if res.Result != "" {
				e.printf("\n---- %s\n%s", strings.TrimSuffix(res.Spec.Path, ".md")+".result.md", res.Result)
			}
			return nil
		}),
	}
}

func (e *env) specPromptCmd() *cli.Command {
	return &cli.Command{
		Name:      "prompt",
		Usage:     "print the self-contained brief for a sub-agent: the spec, the conventions file, the result format, the command that records it",
		ArgsUsage: "NAME",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "budget", Usage: fmt.Sprintf("token budget (default %d)", spec.DefaultPromptBudget)},
			jsonFlag(),
		},
		Action: e.act(1, 1, "NAME", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.SpecPrompt(ve, c.Args().First(), c.Int("budget"))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("%s", res.Text)
			return nil
		}),
	}
}

func (e *env) specResultCmd() *cli.Command {
	return &cli.Command{
		Name:      "result",
		Usage:     "record a sub-agent's result as specs/NAME.result.md (validated; works from the sub-agent's worktree)",
		ArgsUsage: "NAME   (the result on stdin, or --file F)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "file", Usage: "read the result from this file instead of stdin"},
			jsonFlag(),
		},
		Action: e.act(1, 1, "NAME", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.SpecRecord(ve, verbs.SpecRecordOptions{Name: c.Args().First(), File: c.String("file")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("recorded %s: %s, %s\n", res.Path, res.Status, plural(len(res.Changes), "change", "changes"))
			if a := res.Attempt; a != nil {
				e.printf("item %d stays open: failed attempt %d/%d in %s\n", a.Item.N, a.Count, a.Limit, a.Bucket)
				if a.Spent {
					e.printf("retry budget spent: the workflow is blocked\n")
				}
			}
			return nil
		}),
	}
}

func (e *env) specDelegateCmd() *cli.Command {
	return &cli.Command{
		Name:      "delegate",
		Usage:     "mark a spec delegated (who, when, at which commit); --worktree makes a linked worktree on branch wf/spec/NAME for the sub-agent",
		ArgsUsage: "NAME",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "agent", Usage: "who takes it (a session id, an agent name)"},
			&cli.BoolFlag{Name: "worktree", Usage: "create a linked worktree on a new branch wf/spec/NAME"},
			&cli.StringFlag{Name: "path", Usage: "the worktree's folder (default: beside the repository, <top>.spec-NAME)"},
			jsonFlag(),
		},
		Action: e.act(1, 1, "NAME", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.SpecDelegate(ve, verbs.SpecDelegateOptions{Name: c.Args().First(), Agent: c.String("agent"), Worktree: c.Bool("worktree"), Path: c.String("path")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			v := res.Spec
			e.printf("delegated %s at %s", v.Name, shortHash(v.Commit))
			if v.Agent != "" {
				e.printf(" to %s", v.Agent)
			}
			e.printf("\n")
			if v.Worktree != "" {
				e.printf("worktree %s on branch %s\n", v.Worktree, v.Branch)
				e.printf("next: start the sub-agent in %s; wf resume there prints its brief\n", v.Worktree)
			} else {
				e.printf("next: give the sub-agent the output of wf spec prompt %s\n", v.Name)
			}
			if res.WorkflowStatus != res.PreviousStatus {
				e.printf("workflow status: %s -> %s\n", res.PreviousStatus, res.WorkflowStatus)
			}
			return nil
		}),
	}
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// specTaskResume prints the spec's brief instead of the re-entry context
// when wf resume runs (as text) in a worktree made by wf spec delegate
// --worktree; done is false everywhere else.
func (e *env) specTaskResume(c *cli.Context, ve verbs.Env) (done bool, err error) {
	if c.Bool("json") || c.IsSet("hook") {
		return false, nil
	}
	t, err := verbs.SpecTask(ve, c.Int("budget"))
	if err != nil || t == nil {
		return false, nil // the ordinary resume reports what is wrong
	}
	e.printf("This worktree was made for spec %s: it is your whole task.\n\n%s", t.Name, t.Text)
	return true, nil
}

func (e *env) specVerifyCmd() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "compare the sub-agent's changes in git with the spec and its result; exits 5 when the contract is broken",
		ArgsUsage: "NAME",
		Flags:     []cli.Flag{jsonFlag()},
		Action: e.act(1, 1, "NAME", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.SpecVerify(ve, c.Args().First())
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if err := e.printJSON(res); err != nil {
					return err
				}
			} else {
				to := "the work tree"
				if res.To != "" {
					to = shortHash(res.To)
				}
				e.printf("spec %s: %s changed from %s to %s\n", res.Name, plural(len(res.Changed), "file", "files"), shortHash(res.From), to)
				for _, l := range []struct {
					what  string
					paths []string
				}{{"out of scope (not in Files to Modify)", res.OutOfScope}, {"declared but untouched", res.Untouched},
					{"changed but not in the result", res.Unreported}, {"in the result but not changed", res.NotChanged}} {
					for _, p := range l.paths {
						e.printf("  %s: %s\n", l.what, p)
					}
				}
				if res.OK {
					e.printf("ok: the changes match the spec\n")
				}
			}
			if !res.OK {
				return &problemsError{n: len(res.OutOfScope) + len(res.Unreported) + len(res.NotChanged) + len(res.Untouched)}
			}
			return nil
		}),
	}
}

func (e *env) specIntegrateCmd() *cli.Command {
	return &cli.Command{
		Name:      "integrate",
		Usage:     "once its branch is merged: mark a spec integrated, log its decisions, add its tests as TODO items, tick its item, checkpoint; --order prints the order to integrate returned specs",
		ArgsUsage: "NAME | --order",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "order", Usage: "print the returned specs in the order to integrate them (fewest overlapping files first)"},
			jsonFlag(),
		},
		Action: func(c *cli.Context) error {
			if c.Bool("order") {
				return e.act(0, 0, "no NAME with --order", func(c *cli.Context, ve verbs.Env) error {
					res, err := verbs.SpecOrder(ve)
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return e.printJSON(res)
					}
					for i, n := range res.Order {
						e.printf("%d. %s\n", i+1, n)
					}
					if len(res.Order) == 0 {
						e.printf("no returned specs\n")
					}
					return nil
				})(c)
			}
			return e.act(1, 1, "NAME", func(c *cli.Context, ve verbs.Env) error {
				res, err := verbs.SpecIntegrate(ve, c.Args().First())
				if err != nil {
					return err
				}
				if c.Bool("json") {
					return e.printJSON(res)
				}
				e.printf("integrated %s\n", res.Name)
				for _, d := range res.Decisions {
					e.printf("  decided: %s\n", d)
				}
				for _, t := range res.TodoAdded {
					e.printf("  added: %s\n", t)
				}
				if res.Ticked > 0 {
					e.printf("  ticked item %d\n", res.Ticked)
				}
				e.printf("checkpoint %s\n", res.Checkpoint.ID)
				return nil
			})(c)
		},
	}
}

func (e *env) specRedoCmd() *cli.Command {
	return &cli.Command{
		Name:      "redo",
		Usage:     "re-open a delegated, returned or failed spec for another attempt (the old result goes to specs/history/)",
		ArgsUsage: "NAME --why TEXT",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "why", Usage: "what the next attempt must do differently (required)"},
			jsonFlag(),
		},
		Action: e.act(1, 1, "NAME", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.SpecRedo(ve, c.Args().First(), c.String("why"))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("re-opened %s as a draft\n", res.Spec.Name)
			if res.OldResult != "" {
				e.printf("  old result: %s\n", res.OldResult)
			}
			e.printf("next: revise %s, then wf spec delegate %s\n", res.Spec.Path, res.Spec.Name)
			return nil
		}),
	}
}
