package secretscan

import (
	"encoding/json"
	"reflect"
	"regexp"
	"testing"
	"unicode/utf16"
)

// The JWT and password of ../shared/cases/repo-states/25: not real
// credentials, but shaped like them.
const (
	jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJxN2ZLbTJ4UDl3IiwiYWRtaW4iOnRydWV9.Xk3vQ9pLr2Tz8mWc5HbN1sYfJ0aE7uGdK4oV6iBxR3q"
	pw  = "Zq8vN2mK7pL4xR9tW3yB"
)

func scanner(t testing.TB) *Scanner {
	t.Helper()
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rules(t testing.TB, path, content string) []string {
	t.Helper()
	fs, err := scanner(t).Scan(path, []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.Rule)
	}
	return ids
}

// TestRulesCompile compiles every regexp of both rule files, since the
// scanner compiles them only on first use.
func TestRulesCompile(t *testing.T) {
	for _, data := range [][]byte{wfJSON} {
		var rf ruleFile
		if err := json.Unmarshal(data, &rf); err != nil {
			t.Fatal(err)
		}
		check := func(what, re string) {
			if _, err := regexp.Compile(re); err != nil {
				t.Errorf("%s: %s: %v", rf.Source, what, err)
			}
		}
		allow := func(what string, as []allowlistData) {
			for _, a := range as {
				for _, p := range a.Paths {
					check(what+" allowlist path", p)
				}
				for _, r := range a.Regexes {
					check(what+" allowlist regex", r)
				}
			}
		}
		allow("global", rf.Allowlists)
		for _, r := range rf.Rules {
			if r.Regex != "" {
				check(r.ID, r.Regex)
			}
			if r.Path != "" {
				check(r.ID+" path", r.Path)
			}
			allow(r.ID, r.Allowlists)
		}
	}
	sets := Sets()
	if len(sets) != 1 || sets[0].Rules < 20 {
		t.Errorf("rule sets %+v", sets)
	}
}

func TestSecrets(t *testing.T) {
	for _, c := range []struct {
		name, path, content, rule string // rule "" means no finding
	}{
		// Private keys.
		{"pem key", "key.pem", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "private-key-block"},
		{"pem key in a Go string", "k.go", "const k = \"-----BEGIN RSA PRIVATE KEY-----\\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\\n\"", "private-key-block"},
		{"pem header in code", "pem.go", "if strings.HasPrefix(s, \"-----BEGIN RSA PRIVATE KEY-----\") {\n\treturn parse(s)\n}\n", ""},
		{"public key", "pub.pem", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n", ""},
		{"putty key by content", "k.txt", "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nPrivate-Lines: 1\nAAAAgQDZq8vN2mK7pL4xR9tW3yB\n", "putty-private-key"},
		{"putty key by name", "keys/deploy.ppk", "", "putty-key-file"},
		{"ssh key by name", "home/.ssh/id_ed25519", "", "ssh-private-key-file"},
		// Files by name.
		{".env", ".env", "X=1\n", "env-file"},
		{".env.local", "app/.env.local", "X=1\n", "env-file"},
		{".env.example", ".env.example", "API_KEY=changeme\n", ""},
		{".netrc by name", ".netrc", "", "netrc-file"},
		{".git-credentials by name", ".git-credentials", "", "git-credentials-file"},
		{"environment.ts", "src/environment.ts", "export const env = {}\n", ""},
		// Credentials in URLs and .netrc content.
		{"postgres URL", ".envrc", "export DATABASE_URL=postgres://app:" + pw + "@db.internal/app\n", "url-credentials"},
		{"postgres URL in YAML", "db.yaml", "database_url: postgres://admin:" + pw + "@prod.db:5432/app\n", "url-credentials"},
		{"git-credentials content", "git-credentials", "https://bob:" + pw + "@git.example.org\n", "url-credentials"},
		{"short URL password", "c.txt", "redis://:hunter2x@cache:6379/0\n", "url-credentials"},
		{"URL placeholder password", "README.md", "postgres://user:password@localhost/db\n", ""},
		{"URL variable password", "compose.yml", "postgres://app:${DB_PASSWORD}@db/app\n", ""},
		{"URL $VAR password", "run.sh", "mysql://root:$MYSQL_PW@db/app\n", ""},
		{"URL template password", "t.j2", "amqp://guest:{{ rabbit_pw }}@mq/\n", ""},
		{"URL angle placeholder", "doc.md", "https://<user>:<token>@github.com/org/repo\n", ""},
		{"URL with port, no password", "a.go", "\"http://example.com:8080/path@v1\"\n", ""},
		{"ssh URL with user only", "a.txt", "ssh://git@github.com/org/repo\n", ""},
		{"netrc content", "netrc", "machine api.example.org login bob password " + pw + "\n", "netrc-password"},
		{"netrc on lines", "n.txt", "machine h\n  login bob\n  password " + pw + "\n", "netrc-password"},
		{"netrc placeholder", "doc.txt", "machine example.com login USER password PASSWORD\n", ""},
		// Tokens.
		{"bearer JWT", "bearer.sh", "curl -H \"Authorization: Bearer " + jwt + "\" https://api.example.org/me\n", "jwt"},
		{"bare JWT", "jwt.txt", jwt + "\n", "jwt"},
		{"JWT assigned to a token", "cfg.yml", "id_token: " + jwt + "\n", "jwt"},
		{"bearer opaque token", "req.http", "Authorization: Bearer 9fQ2xL7vK3mN8pR4tW6yZ1aB5cD0eF\n", "bearer-token"},
		{"bearer placeholder", "doc.md", "Authorization: Bearer YOUR_ACCESS_TOKEN_HERE\n", ""},
		{"bearer variable", "doc.sh", "-H \"Authorization: Bearer $TOKEN\"\n", ""},
		{"slack webhook", "slack-webhook.txt", "https://hooks.slack.com/services/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\n", "slack-webhook-url"},
		{"discord webhook", "hook.txt", "https://discord.com/api/webhooks/123456789012345678/Zq8vN2mK7pL4xR9tW3yBZq8vN2mK7pL4xR9tW3yBZq8vN2mK7pL4xR9tW3yBabcdefgh\n", "discord-webhook-url"},
		{"github token", "gh.txt", "token ghp_q8Zr2LxV9tYp4WmB7nKc3HdF0aE7uGdK4oV6\n", "github-token"},
		{"alphabet placeholder token", "gh.txt", "token ghp_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ\n", ""},
		{"aws key id", "aws.txt", "aws_access_key_id = AKIAZ7QXP3VNK2M4WB6R\n", "aws-access-key-id"},
		// High-entropy assignments.
		{"api key assignment", "conf.py", "API_KEY = 'q8Zr2LxV9tYp4WmB7nKc3HdF'\n", "secret-assignment"},
		{"short password", "pw.yml", "password: Zq8vN2mK7pL4\n", "secret-assignment"},
		{"env reference", "ok.txt", "API_KEY = os.environ['API_KEY']\n", ""},
		// Ordinary code the guard used to refuse.
		{"django user model", "settings.py", "AUTH_USER_MODEL = \"accounts.CustomUserModel\"\n", ""},
		{"minified constant", "min.js", "var t={PASSWORD_RESET_REQUIRED:\"PasswordResetRequiredException\"};\n", ""},
		{"minified assignment", "min2.js", "function a(e){return e.refreshToken=response.data.refreshToken,e}\n", ""},
		{"process.env", "ci.yml", "token: process.env.GITHUB_TOKEN_FOR_RELEASES\n", ""},
		{"header name", "hdr.go", "const sessionTokenHeader = \"X-Session-Token-Header-Name\"\n", ""},
		{"sk- CSS class", "style.css", ".sk-fading-circle-spinner-container-wrapper-outer{color:red}\n", ""},
		// Ordinary code from the Go standard library (BENCHMARKS.md).
		{"struct with netrc field names", "netrc.go", "type netrcLine struct {\n\tmachine  string\n\tlogin    string\n\tpassword string\n}\n", ""},
		{"RFC 7617 example credentials", "auth.txt", "https://aladdin:opensesame@vcs-test.golang.org\n", ""},
		{"percent-encoded placeholder", "c_test.go", "url := \"http://My%20User:My%20Pass@dummy.faketld/\"\n", ""},
		{"p@ssword in a URL", "url.go", "// for example, in \"http://username:p@ssword@google.com\",\n", ""},
		{"identifier value", "gen.go", "\t\"encryptionKey\": \"encryptionKey1024\",\n", ""},
		{"comma as an operator", "mlkem.go", "// If the encapsulation key is not valid, NewEncapsulationKey768 returns an error.\n", ""},
		{"assigned identifier", "tls_test.go", "config.Certificates[0].PrivateKey = testRSA2048PrivateKey\n", ""},
		{"two-letter URL password", "client_test.go", "{lastReq: \"http://gopher:go@test.com\"}\n", ""},
		{"xyz URL password", "http.d.ts", " * const options = new URL('http://abc:xyz@example.com');\n", ""},
		{"percent-encoded p@ss", "CHANGELOG.md", "(e.g. `https://user:p%40ss@host`), the decoded value\n", ""},
		{"public key pin", "https.d.ts", " *   Public key ping-sha256: pL1+qb9HTMRZJmuC/bB/ZI9d302BYrrqiVuRyW+DGrU=\n", ""},
		{"private key beside a public one", "keys.json", "{\"public_key\": \"MFkwEwYHKoZIzj0CAQYI\", \"private_key\": \"q8Zr2LxV9tYp4WmB7nKc3HdF\"}\n", "secret-assignment"},
		{"identifier with digits", "fips140_test.go", "serverConfig.Certificates[0].PrivateKey = testEd25519PrivateKey\n", ""},
		{"escaped placeholder password", "c_test.go", "in:   \"http://user:pa%2Fssword@dummy.faketld/\",\n", ""},
		{"encoded @ in placeholder", "url_test.go", "\"http://jane:p%40ssword@google.com\",\n", ""},
		{"netrc placeholder with a digit", "netrc_test.go", "machine test.host\nlogin user2\npassword pwd2\n", ""},
		{"dotted identifier", "c.go", "// key, if not nil, contains either a *rsa.PrivateKey, ed25519.PrivateKey or\n", ""},
		{"counting sequence", "trace.go", "trace.Log(ctx, \"key0\", \"0123456789abcdef\")\n", ""},
		{"base64 blob line", "go117.base64", "SI1sJGBIicdICdhICchmDx+EAAAAAABIqQcAAAAPhesDAACAPTHADQAAD4QrAQAAkEi6AAAAAACA\n", ""},
		{"yaml value on the next line", "c.yaml", "api_key:\n  q8Zr2LxV9tYp4WmB7nKc3HdF\n", "secret-assignment"},
		{"no inline allow marker", "t.py", "API_KEY = 'q8Zr2LxV9tYp4WmB7nKc3HdF'  # gitleaks:allow\n", "secret-assignment"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := rules(t, c.path, c.content)
			switch {
			case c.rule == "" && len(got) > 0:
				t.Errorf("%s: want no finding, got %v", c.path, got)
			case c.rule != "" && !contains(got, c.rule):
				t.Errorf("%s: want %s, got %v", c.path, c.rule, got)
			}
		})
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	if bom {
		if bigEndian {
			out = append(out, 0xFE, 0xFF)
		} else {
			out = append(out, 0xFF, 0xFE)
		}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestUTF16(t *testing.T) {
	text := "[db]\nhost = db.internal\npassword = " + pw + "\n"
	for _, be := range []bool{false, true} {
		for _, bom := range []bool{false, true} {
			data := utf16Bytes(text, be, bom)
			fs, err := scanner(t).Scan("utf16.ini", data)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) == 0 || fs[0].Rule != "secret-assignment" || fs[0].Line != 3 {
				t.Errorf("big-endian %v, BOM %v: findings %+v", be, bom, fs)
			}
		}
	}
	// A harmless UTF-16 file stays harmless.
	fs, err := scanner(t).Scan("notes.txt", utf16Bytes("just some notes, ünïcödé too\n", false, false))
	if err != nil || len(fs) != 0 {
		t.Errorf("findings %+v, err %v", fs, err)
	}
	// Binary data is not scanned for content.
	bin := append([]byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 3, 0, 0, 0, 9}, []byte("password = "+pw)...)
	if fs, _ := scanner(t).Scan("a.out", bin); len(fs) != 0 {
		t.Errorf("binary: %+v", fs)
	}
}

func TestLineNumbers(t *testing.T) {
	fs, err := scanner(t).Scan("x.txt", []byte("a\nb\nurl = postgres://app:"+pw+"@db/app\nc\n"))
	if err != nil || len(fs) == 0 || fs[0].Line != 3 {
		t.Errorf("findings %+v, err %v", fs, err)
	}
}

func TestMatcher(t *testing.T) {
	m := newMatcher([]string{"he", "she", "his", "hers", "-----begin"})
	got := m.find([]byte("uSHErs\n----BEGIN he\n-----BEGIN"))
	want := [][]int{{0, 7}, {0}, nil, {0}, {20}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines %v, want %v", got, want)
	}
}

// TestTokenRules has true positives and near misses for each token rule
// of wf.json. The tokens are made up, shaped as the providers document.
func TestTokenRules(t *testing.T) {
	const b62 = "q8Zr2LxV9tYp4WmB7nKc3HdF0aE7uGdK4oV6" // 36
	for _, c := range []struct {
		name, content, rule string // rule "" means no finding
	}{
		{"aws key id", "id: AKIAZ7QXP3VNK2M4WB6R\n", "aws-access-key-id"},
		{"aws temporary key id", "ASIAZ7QXP3VNK2M4WB6R\n", "aws-access-key-id"},
		{"aws documented example id", "AKIAIOSFODNN7EXAMPLE\n", ""},
		{"aws key id too short", "AKIAZ7QXP3VNK2M4\n", ""},
		{"aws secret key", "aws_secret_access_key = q8Zr2LxV9tYp4WmB/7nKc3HdF0aE7uGdK4oV6iBx\n", "aws-secret-access-key"},
		{"aws documented example secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", ""},
		{"github classic", "ghp_" + b62 + "\n", "github-token"},
		{"github oauth", "gho_" + b62 + "\n", "github-token"},
		{"github user-to-server", "ghu_" + b62 + "\n", "github-token"},
		{"github server-to-server", "ghs_" + b62 + "\n", "github-token"},
		{"github refresh", "ghr_" + b62 + "\n", "github-token"},
		{"github too short", "ghp_" + b62[:30] + "\n", ""},
		{"github fine-grained", "github_pat_" + b62[:22] + "_" + b62 + b62[:23] + "\n", "github-fine-grained-token"},
		{"gitlab", "GITLAB=glpat-q8Zr2LxV9tYp4WmB7nKc\n", "gitlab-token"},
		{"slack bot", "xoxb-2947185306-5810394726183-q8Zr2LxV9tYp4WmB7nKc3HdF\n", "slack-token"},
		{"slack user", "xoxp-2947185306-5810394726-5810394726183-q8Zr2LxV9tYp4WmB7nKc3HdF0aE7\n", "slack-token"},
		{"slack app", "xapp-1-A0ABCDE5817-5810394726183-3f9a1c7e5b2d8f4a6c0e9b1d7a3f5c2e8b4d6a0c\n", "slack-token"},
		{"slack prose", "tokens start with xoxb- or xoxp-\n", ""},
		{"slack webhook", "https://hooks.slack.com/services/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\n", "slack-webhook-url"},
		{"slack webhook placeholder", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n", ""},
		{"stripe live", "sk_live_q8Zr2LxV9tYp4WmB7nKc3HdF\n", "stripe-live-key"},
		{"stripe restricted", "rk_live_q8Zr2LxV9tYp4WmB7nKc3HdF\n", "stripe-live-key"},
		{"stripe test", "sk_test_q8Zr2LxV9tYp4WmB7nKc3HdF\n", ""},
		{"google api key", "key=AIzaSyQ8Zr2LxV9tYp4WmB7nKc3HdF0aE7uGdK4\n", "google-api-key"},
		{"openai project", "OPENAI_KEY=sk-proj-q8Zr2LxV9tYp4WmB7nKc3HdF0aE7uGdK4oV6iBxR3qT1\n", "openai-api-key"},
		{"openai legacy", "sk-q8Zr2LxV9tYp4WmB7nKc3HdF0aE7uGdK4oV6iBxR3qT1aZ9x\n", "openai-api-key"},
		{"sk- CSS class", ".sk-fading-circle-spinner-container-wrapper-outer-and-more-words{color:red}\n", ""},
		{"sk- CSS class, 48 letters", ".sk-abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv{}\n", ""},
		{"anthropic", "sk-ant-api03-q8Zr2LxV9tYp4WmB7nKc3HdF0aE7uGdK4oV6iBxR3qT1\n", "anthropic-api-key"},
		{"npm", "//registry.npmjs.org/:_authToken=npm_" + b62 + "\n", "npm-token"},
		{"pypi", "password = pypi-AgEIcHlwaS5vcmcCJDk4ZjM1YWM2LTU2YzAtNGE5Mi1hMTE2LWRiYjhkMDQ0NmQ0OQ\n", "pypi-token"},
		{"bearer JWT", "Authorization: Bearer " + jwt + "\n", "jwt"},
		{"JWT in a variable", "const accessToken = \"" + jwt + "\"\n", "jwt"},
		{"JWT in prose", "a JWT looks like " + jwt + "\n", ""},
		// The assignment rule.
		{"password", "DB_PASSWORD=" + pw + "\n", "secret-assignment"},
		{"client secret in JSON", "{\"client_secret\": \"" + pw + "\"}\n", "secret-assignment"},
		{"apiKey in JS", "const apiKey = '" + pw + "';\n", "secret-assignment"},
		{"Go :=", "privateKey := \"" + pw + "\"\n", "secret-assignment"},
		{"low entropy", "password = aaaaaaaabbbbbbbb\n", ""},
		{"os.getenv", "SECRET_KEY = os.getenv('DJANGO_SECRET_KEY_VALUE')\n", ""},
		{"shell variable", "export API_TOKEN=${CI_API_TOKEN_VALUE}\n", ""},
		{"actions secret", "token: ${{ secrets.RELEASE_TOKEN }}\n", ""},
		{"changeme", "password: changeme-q8Zr2Lx\n", ""},
		{"xxx", "api_key = xxxxxxxxxxxxxxxx\n", ""},
		{"angle placeholder", "api_key = <your-api-key-here>\n", ""},
		{"example", "secret_token = example-token-1234\n", ""},
		{"header name", "tokenHeader = \"X-Session-Token-Header-Name\"\n", ""},
		{"identifier with a one-letter part", "\t\tPrivateKey:  testP256PrivateKey,\n", ""},
		{"address of a composite literal", "var rsaPrivateKey = &rsa.PrivateKey{\n", ""},
		{"expression", "\ttokens = 2*maxCompilerConcurrency + minTokens*cfg.BuildP\n", ""},
		{"call", "\tt.simpleTokenKeeper = NewSimpleTokenTTLKeeper_etcd7492(newDeleterFunc(t))\n", ""},
		{"words run together", "const _token_name = \"EOFnameliteralopop=opop=:=<-*([{)]},;:....breakcase\"\n", ""},
		{"comment", "  var CancelToken = /*#__PURE__*/function () {\n", ""},
		{"bundler-renamed call", "      const urlPassword = decodeURIComponentSafe$1(parsed.password);\n", ""},
		{"non-null assertion", "const token = this.tokenMap!.find(node\n", ""},
		{"marker constant", "const MODULE_REFERENCE_TOKEN = \"__WEBPACK_MODULE_REFERENCE__\";\n", ""},
		{"regexp literal", "const FULL_HASH_TOKEN_REGEXP = /@@webpackFullHash(?:-([1-9]\\d*))?@@/g;\n", ""},
		{"snake constant", "TOKEN_KIND = \"GITHUB_TOKEN_FOR_RELEASES\"\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := rules(t, "x.txt", c.content)
			switch {
			case c.rule == "" && len(got) > 0:
				t.Errorf("want no finding, got %v", got)
			case c.rule != "" && !contains(got, c.rule):
				t.Errorf("want %s, got %v", c.rule, got)
			}
		})
	}
}
