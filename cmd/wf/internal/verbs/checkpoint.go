package verbs

import (
	"errors"
	"io"
	"os"
	"strings"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/journal"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
)

// maxBody is the most a checkpoint body read from stdin may hold.
const maxBody = 1 << 20

// CheckpointOptions are `wf checkpoint`'s.
type CheckpointOptions struct {
	Title     string
	Summary   string
	Decisions []string
	Next      []string
	// Stdin reads a Markdown body from Env.Stdin.
	Stdin                   bool
	AllowSecret, AllowLarge []string
	// On is the commit mode for this checkpoint: "branch", "ref", or ""
	// for the workflow's setting.
	On string
	// ResumeInterrupted finishes the checkpoint a crash interrupted (the
	// record journal.ReadInterrupted reads): what it was given, with the
	// title, summary and mode given now replacing its own and decisions
	// and next actions given now added.
	ResumeInterrupted bool
	// NoVerify skips the pre-commit and commit-msg hooks (git commit
	// --no-verify).
	NoVerify bool
	// HookOutput receives what git hooks print.
	HookOutput io.Writer
	// GPGSign is --gpg-sign: "" when not given, "true" without a key,
	// else the key. NoGPGSign is --no-gpg-sign.
	GPGSign   string
	NoGPGSign bool
}

// NoInterruptedError is --resume-interrupted with nothing to resume.
type NoInterruptedError struct{}

func (*NoInterruptedError) Error() string { return "no interrupted checkpoint to resume" }

// Hint says what to run instead.
func (*NoInterruptedError) Hint() string {
	return `wf checkpoint -m "<what is done>"   (wf resume says when a checkpoint was interrupted)`
}

// Checkpoint writes and commits a checkpoint.
func Checkpoint(e Env, o CheckpointOptions) (*checkpoint.CheckpointResult, error) {
	if o.On != "" && o.On != "branch" && o.On != "ref" {
		return nil, Usagef("wf checkpoint --on branch|ref", "--on %q is not branch or ref", o.On)
	}
	for _, l := range []struct {
		flag string
		vals []string
	}{{"decision", o.Decisions}, {"next", o.Next}, {"allow-secret", o.AllowSecret}, {"allow-large", o.AllowLarge}} {
		for _, v := range l.vals {
			if strings.TrimSpace(v) == "" {
				return nil, Usagef("wf help checkpoint", "--%s is empty", l.flag)
			}
		}
	}
	co := checkpoint.CheckpointOptions{
		Title: o.Title, Summary: o.Summary, Decisions: o.Decisions, Next: o.Next,
		AllowSecret: o.AllowSecret, AllowLarge: o.AllowLarge, Mode: o.On, OnStep: e.OnStep,
		NoVerify: o.NoVerify, HookOutput: o.HookOutput,
	}
	switch {
	case o.GPGSign != "" && o.NoGPGSign:
		return nil, Usagef("wf checkpoint --gpg-sign[=KEY] | --no-gpg-sign", "--gpg-sign and --no-gpg-sign contradict each other")
	case o.NoGPGSign:
		co.Sign = &gitcp.SignOptions{}
	case o.GPGSign == "true":
		co.Sign = &gitcp.SignOptions{Sign: true}
	case o.GPGSign != "":
		co.Sign = &gitcp.SignOptions{Sign: true, Key: o.GPGSign}
	}
	if o.Stdin {
		body, err := readBody(e.Stdin)
		if err != nil {
			return nil, err
		}
		co.Body = checkpoint.ParseBody(body)
	}
	var ws *workspace.Workspace
	if o.ResumeInterrupted {
		var err error
		if ws, err = e.open(); err != nil {
			return nil, err
		}
		rec, err := journal.ReadInterrupted(ws)
		if err != nil {
			return nil, err
		}
		if rec == nil || rec.Request == nil {
			return nil, &NoInterruptedError{}
		}
		was, err := checkpoint.OptionsFrom(rec.Request)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(co.Title) == "" {
			co.Title = was.Title
		}
		if strings.TrimSpace(co.Summary) == "" {
			co.Summary = was.Summary
		}
		if co.Mode == "" {
			co.Mode = was.Mode
		}
		if co.Body == nil {
			co.Body = was.Body
		}
		co.Decisions = append(was.Decisions, co.Decisions...)
		co.Next = append(was.Next, co.Next...)
	}
	if strings.TrimSpace(co.Title) == "" && (co.Body == nil || co.Body.Title == "") {
		return nil, Usagef(`wf checkpoint -m "API routes 60% complete"`, "a checkpoint needs a title: -m TEXT, or a \"# Title\" line in the body on stdin")
	}
	if ws == nil {
		var err error
		if ws, err = e.open(); err != nil {
			return nil, err
		}
	}
	co.Session = lifecycle.CurrentSession(ws, e.Session)
	res, err := checkpoint.Checkpoint(ws, co)
	if err != nil {
		var te *checkpoint.TitleError
		if errors.As(err, &te) {
			return nil, Usagef(te.Hint(), "%s", te.Error())
		}
		if errors.Is(err, history.ErrNoRepo) {
			return nil, &Hinted{err, "git init   (then wf checkpoint again)"}
		}
		return nil, err
	}
	e.note(res.Notes...)
	return res, nil
}

// readBody reads a checkpoint body of at most maxBody bytes; a terminal
// is refused, since nothing would end the read.
func readBody(in io.Reader) ([]byte, error) {
	if in == nil {
		return nil, Usagef(`wf checkpoint --stdin < body.md`, "--stdin given but there is no standard input")
	}
	if f, ok := in.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return nil, Usagef(`wf checkpoint --stdin < body.md`, "--stdin given but stdin is a terminal")
		}
	}
	return io.ReadAll(io.LimitReader(in, maxBody))
}

// LogResult is what `wf log` reports.
type LogResult struct {
	Schema      int                `json:"schema"`
	Checkpoints []history.LogEntry `json:"checkpoints"`
}

// Log lists checkpoints newest first; limit 0 lists all.
func Log(e Env, limit int) (*LogResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	es, err := history.Log(ws, limit)
	if err != nil {
		return nil, err
	}
	return &LogResult{Schema: workspace.SchemaVersion, Checkpoints: es}, nil
}

// Show reads a checkpoint as it was at its commit.
func Show(e Env, ref string) (*checkpoint.ShowView, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	return checkpoint.Show(ws, ref)
}

// RecoverOptions are `wf recover`'s.
type RecoverOptions struct {
	Ref    string // the checkpoint
	Why    string // required
	Branch string // default wf/recover-<id>
}

// Recover continues from an older checkpoint on a new branch.
func Recover(e Env, o RecoverOptions) (*checkpoint.RecoverResult, error) {
	if strings.TrimSpace(o.Why) == "" {
		return nil, Usagef("wf recover "+QuoteArg(o.Ref)+` --why "the approach after it failed"`, "wf recover needs --why TEXT (it goes into the decisions log)")
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	res, err := checkpoint.Recover(ws, o.Ref, checkpoint.RecoverOptions{Why: o.Why, Branch: o.Branch, OnStep: e.OnStep})
	if err != nil {
		return nil, err
	}
	e.note(res.Checkpoint.Notes...)
	return res, nil
}
