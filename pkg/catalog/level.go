package catalog

import "strings"

// ParseLevel reads a session level as the live sources write it ("300",
// "300 - Advanced", "advanced", "Expert") as 100-400, or 0 when it is not
// one it knows.
func ParseLevel(s string) int {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
	for _, w := range words {
		switch w {
		case "100", "200", "300", "400":
			return int(w[0]-'0') * 100
		}
	}
	for _, w := range words {
		switch w {
		case "introductory", "foundational":
			return 100
		case "intermediate":
			return 200
		case "advanced":
			return 300
		case "expert":
			return 400
		}
	}
	return 0
}
