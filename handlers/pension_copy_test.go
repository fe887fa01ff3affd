package handlers

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/work"
)

// Every note reads as finished text in both languages: no placeholder
// left, no formatting debris, numbers in the language's own style.
func TestPensionNotesAreFinishedText(t *testing.T) {
	hours := 123.4
	st := work.PensionStatus{Projection: pension.Projection{Year: 2026, EstimateBasedOnYear: 2024,
		HeadroomGrossKr: 42_643, EstimatedReductionKr: 1_530, HeadroomHours: &hours}}
	for code := range pensionNotes {
		st.Notes = append(st.Notes, work.Note{Code: code})
	}
	for _, l := range []lang{da, en} {
		got := withNoteTexts(l, st)
		for _, n := range got.Notes {
			if n.Text == "" || strings.ContainsAny(n.Text, "{}%") {
				t.Errorf("%s %s: %q", l, n.Code, n.Text)
			}
		}
	}
	da := withNoteTexts(da, st).Notes
	for _, n := range da {
		switch n.Code {
		case work.NoteHeadroom:
			if !strings.Contains(n.Text, "42.643 kr") || !strings.Contains(n.Text, "123,4 timers") {
				t.Errorf("headroom in Danish: %q", n.Text)
			}
		case work.NoteOlderFigures:
			if !strings.Contains(n.Text, "2024") || !strings.Contains(n.Text, "2026") {
				t.Errorf("older figures: %q", n.Text)
			}
		}
	}
	if got := kr(en, 1_234_567); got != "1,234,567" {
		t.Errorf("kr(en) = %q", got)
	}
}

// The note codes the app may receive are exactly those openapi.yaml lists
// (PensionNote.code) and those that have a text here.
func TestPensionNoteCodesMatchContract(t *testing.T) {
	doc := loadContract(t)
	var listed []string
	for _, v := range doc.Components.Schemas["PensionNote"].Value.Properties["code"].Value.Enum {
		listed = append(listed, v.(string))
	}
	slices.Sort(listed)
	if got := slices.Sorted(maps.Keys(pensionNotes)); !slices.Equal(got, listed) {
		t.Errorf("note codes with texts %v, openapi.yaml PensionNote.code lists %v", got, listed)
	}
}
