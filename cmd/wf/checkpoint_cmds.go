package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// multiFlag collects every value of a repeatable flag as typed: unlike
// cli.StringSliceFlag it does not split values at commas ("--decision
// 'A, not B'" is one decision).
type multiFlag struct{ vals []string }

func (m *multiFlag) Set(v string) error { m.vals = append(m.vals, v); return nil }
func (m *multiFlag) String() string     { return strings.Join(m.vals, "\n") }

func multi(name, usage string) (*multiFlag, cli.Flag) {
	m := &multiFlag{}
	return m, &cli.GenericFlag{Name: name, Value: m, Usage: usage + " (repeatable)"}
}

func (e *env) checkpointCmd() *cli.Command {
	decisions, decisionFlag := multi("decision", "a decision to record (also appended to the decisions log)")
	next, nextFlag := multi("next", "a next action, in order (default: the next open TODO items)")
	secrets, secretFlag := multi("allow-secret", "commit this file although it looks like a secret")
	large, largeFlag := multi("allow-large", "commit this file although it is over 10 MB")
	return &cli.Command{
		Name:      "checkpoint",
		Usage:     "write a checkpoint file and commit it with the work and the state files",
		ArgsUsage: "[-]   (\"-\" or --stdin: read a Markdown body from stdin)",
		Description: "Writes checkpoints/<id>.md (Context Required to Resume, State Summary, Key Decisions,\n" +
			"Current File State, Next Actions), sets Last checkpoint in workflow-state.md, annotates TODO\n" +
			"items ticked since the previous checkpoint, and commits it all in one commit with\n" +
			"Wf-Checkpoint, Wf-Phase and Wf-Status trailers.\n\n" +
			"In branch mode the git hooks run as git commit runs them (pre-commit, prepare-commit-msg,\n" +
			"commit-msg, post-commit; core.hooksPath) and commit.gpgSign signs the commit; a failing hook\n" +
			"or signature aborts the checkpoint with nothing changed. In ref mode (--on ref) no hook runs.\n" +
			"See docs/git.md.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "message", Aliases: []string{"m"}, Usage: "the checkpoint's title (required unless the body has a \"# Title\")"},
			&cli.StringFlag{Name: "summary", Usage: "what stands: added to State Summary and the commit message body"},
			decisionFlag, nextFlag,
			&cli.BoolFlag{Name: "stdin", Usage: "read a Markdown body from stdin (its sections fill or extend the file's)"},
			secretFlag, largeFlag,
			&cli.StringFlag{Name: "on", Usage: "commit mode for this checkpoint: branch or ref (default: Settings: commit)"},
			&cli.BoolFlag{Name: "resume-interrupted", Usage: "finish the checkpoint a crash interrupted, with the title, summary, decisions and next actions it was given (flags given now add to or replace them)"},
			&cli.BoolFlag{Name: "no-verify", Usage: "skip the pre-commit and commit-msg git hooks, as git commit --no-verify does (hooks run in branch mode only)"},
			&cli.GenericFlag{Name: "gpg-sign", Aliases: []string{"S"}, Value: &gpgSignFlag{}, Usage: "sign the commit as git commit -S does: bare, with user.signingKey (else the committer); with `[=KEY]`, with that key"},
			&cli.BoolFlag{Name: "no-gpg-sign", Usage: "do not sign the commit, whatever commit.gpgSign says"},
			jsonFlag(),
		},
		Action: e.act(0, 1, "no arguments, or \"-\" to read the body from stdin", func(c *cli.Context, ve verbs.Env) error {
			useStdin := c.Bool("stdin")
			if c.Args().Len() == 1 {
				if c.Args().First() != "-" {
					return usagef(`wf checkpoint -m "title" [--summary TEXT] [--decision TEXT]... [--next TEXT]...`,
						"unexpected argument %q (the title goes after -m)", c.Args().First())
				}
				useStdin = true
			}
			res, err := verbs.Checkpoint(ve, verbs.CheckpointOptions{
				Title: c.String("message"), Summary: c.String("summary"),
				Decisions: decisions.vals, Next: next.vals, Stdin: useStdin,
				AllowSecret: secrets.vals, AllowLarge: large.vals, On: c.String("on"),
				ResumeInterrupted: c.Bool("resume-interrupted"),
				NoVerify:          c.Bool("no-verify"), HookOutput: e.stderr,
				GPGSign: c.Generic("gpg-sign").(*gpgSignFlag).key, NoGPGSign: c.Bool("no-gpg-sign"),
			})
			if err != nil {
				return err
			}
			if res.Warning != "" {
				for _, w := range strings.Split(res.Warning, "\n") {
					// git's own hint lines (the embedded-repository
					// advice) keep their voice: "wf: hint: ...".
					if h, ok := strings.CutPrefix(w, "hint:"); ok {
						fmt.Fprintf(e.stderr, "wf: hint:%s\n", h)
						continue
					}
					fmt.Fprintf(e.stderr, "wf: warning: %s\n", w)
				}
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("checkpoint %s\n", res.ID)
			e.printf("  file    %s\n", res.File)
			where := strings.TrimPrefix(res.Ref, "refs/heads/")
			e.printf("  commit  %s on %s (%s mode)\n", res.Commit[:12], where, res.Mode)
			e.printf("  changed %s since the previous checkpoint", plural(len(res.Files), "file", "files"))
			if res.Previous != "" {
				e.printf(" (%s)", res.Previous)
			}
			e.printf("\n")
			if len(res.Annotated) > 0 {
				var ns []string
				for _, n := range res.Annotated {
					ns = append(ns, fmt.Sprint(n))
				}
				noun := "items"
				if len(ns) == 1 {
					noun = "item"
				}
				e.printf("  annotated TODO %s %s\n", noun, strings.Join(ns, ", "))
			}
			return nil
		}),
	}
}

func (e *env) logCmd() *cli.Command {
	return &cli.Command{
		Name:  "log",
		Usage: "list checkpoints from git history, newest first",
		Flags: []cli.Flag{
			jsonFlag(),
			&cli.IntFlag{Name: "limit", Aliases: []string{"n"}, Usage: "show at most this many, at least 1 (default: all)"},
		},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.Log(ve, c.Int("limit"))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			es := res.Checkpoints
			if len(es) == 0 {
				e.printf("no checkpoints yet (wf checkpoint -m \"title\" makes one)\n")
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			for _, x := range es {
				ps := x.Phase
				if x.Status != "" {
					ps += "/" + x.Status
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", x.ID, x.Time.Format(workspace.Timestamp), orDash(ps), x.Short(), x.Title)
			}
			return tw.Flush()
		}),
	}
}

func (e *env) showCmd() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "print a checkpoint as it was at its commit, with the commit's diffstat",
		ArgsUsage: "ID|latest   (a prefix or unique piece of the id will do)",
		Flags:     []cli.Flag{jsonFlag()},
		Action: e.act(1, 1, "one checkpoint id (or latest)", func(c *cli.Context, ve verbs.Env) error {
			v, err := verbs.Show(ve, c.Args().First())
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(v)
			}
			e.printf("%s", v.Content)
			if !strings.HasSuffix(v.Content, "\n") {
				e.printf("\n")
			}
			e.printf("\n---\ncommit %s (%s)\n", v.Commit, v.Ref)
			width := 0
			for _, f := range v.Stat {
				width = max(width, len(f.Path))
			}
			add, del := 0, 0
			for _, f := range v.Stat {
				if f.Binary {
					e.printf(" %-*s | binary\n", width, f.Path)
					continue
				}
				e.printf(" %-*s | +%d -%d\n", width, f.Path, f.Added, f.Deleted)
				add, del = add+f.Added, del+f.Deleted
			}
			e.printf(" %s changed, %s(+), %s(-)\n", plural(len(v.Stat), "file", "files"), plural(add, "insertion", "insertions"), plural(del, "deletion", "deletions"))
			return nil
		}),
	}
}

func (e *env) recoverCmd() *cli.Command {
	return &cli.Command{
		Name:      "recover",
		Usage:     "continue from an older checkpoint on a new branch (history is never rewritten)",
		ArgsUsage: "ID",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "why", Usage: "why (recorded in the decisions log; required)"},
			&cli.StringFlag{Name: "branch", Usage: "the new branch's name (default wf/recover-<id>)"},
			jsonFlag(),
		},
		Action: e.act(1, 1, "one checkpoint id", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.Recover(ve, verbs.RecoverOptions{Ref: c.Args().First(), Why: c.String("why"), Branch: c.String("branch")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("switched to new branch %s at checkpoint %s (%s)\n", res.Branch, res.From.ID, res.From.Short())
			if res.Previous != "" {
				e.printf("  %s keeps its commits\n", res.Previous)
			}
			e.printf("checkpoint %s\n", res.Checkpoint.ID)
			e.printf("  commit  %s\n", res.Checkpoint.Commit[:12])
			return nil
		}),
	}
}

// gpgSignFlag is --gpg-sign[=KEY]: a flag that takes its value only after
// "=", as git's -S[KEY] (the flag package's boolean-flag rule): key is
// "true" when given bare, the key when given with one, "" when absent.
type gpgSignFlag struct{ key string }

func (g *gpgSignFlag) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("--gpg-sign= needs a key after \"=\" (or no \"=\" for the default key)")
	}
	g.key = v
	return nil
}
func (g *gpgSignFlag) String() string   { return g.key }
func (g *gpgSignFlag) IsBoolFlag() bool { return true }
