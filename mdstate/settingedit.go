package mdstate

import (
	"fmt"
	"strings"
)

// PutSetting makes the Settings section hold "- key: value" for one entry
// of a key that may repeat (such as allow-secret): the first setting named
// key (case-insensitively) whose value same reports as the entry's has its
// value replaced in place, byte for byte around it; without one, the entry
// is appended as [State.AppendEntry] appends ("settings"). Setting the
// value a setting already has changes nothing.
func (st *State) PutSetting(key string, same func(value string) bool, value string) ([]byte, *State, error) {
	value = oneLine(value)
	if value == "" || strings.TrimSpace(key) == "" {
		return nil, nil, fmt.Errorf("a setting needs a key and a value")
	}
	for i, s := range st.Settings {
		if !strings.EqualFold(s.Key, key) || !same(s.Value) {
			continue
		}
		if s.Value == value {
			return st.Src.Data, st, nil
		}
		return st.apply([]Edit{st.Src.replace(s.value.Start, s.value.End, value)}, func(g *stateSig) {
			g.Settings[i] = s.Key + "=" + value
		})
	}
	return st.AppendEntry("settings", key+": "+value)
}
