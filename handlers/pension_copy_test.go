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
		HeadroomGrossKr: 42_643, EstimatedReductionKr: 1_530, HeadroomHours: &hours,
		FiguresUsed: []pension.UsedFigure{{Name: "thresholdCoupleKr", Year: 2024}, {Name: "spouseMaxPensionerKr", Year: 2021, Fallback: true}}}}
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
		case work.NotePensionStops:
			if !strings.Contains(n.Text, "2026") || !strings.Contains(n.Text, "0 kr") || !strings.Contains(n.Text, "vejleder") {
				t.Errorf("pension stops: %q", n.Text)
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

// A figure taken alone from an earlier year is named in plain words with
// its year; the year's other figures are not called missing.
func TestPensionNoteFigureFromEarlierYear(t *testing.T) {
	st := work.PensionStatus{Projection: pension.Projection{Year: 2024, FiguresUsed: []pension.UsedFigure{
		{Name: "thresholdCoupleKr", Year: 2024}, {Name: "spouseDisregardKr", Year: 2020, Fallback: true},
		{Name: "spouseMaxNonPensionerKr", Year: 2020, Fallback: true}, {Name: "amBidragBp"},
	}}, Notes: []work.Note{{Code: work.NoteFigureFromEarlierYear}}}
	tests := []struct {
		lang lang
		want string
	}{
		{da, "Det beløb af din partners indkomst, der ikke tæller med, er taget fra satserne for 2020, fordi tallet for 2024 ikke er lagt ind endnu. " +
			"Loftet over din partners indkomst er taget fra satserne for 2020, fordi tallet for 2024 ikke er lagt ind endnu."},
		{en, "The amount of your partner's income that does not count is taken from the 2020 figures, because the 2024 figure is not entered yet. " +
			"The cap on your partner's income is taken from the 2020 figures, because the 2024 figure is not entered yet."},
	}
	for _, tt := range tests {
		if got := withNoteTexts(tt.lang, st).Notes[0].Text; got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.lang, got, tt.want)
		}
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

// A finished year reads as a result: what was earned, and how far below or
// above the threshold the year ended, in the language's own number style.
func TestPensionNotesForAFinishedYear(t *testing.T) {
	below := pension.Projection{Year: 2025, YTDGrossWageKr: 52_593, ProjectedBaseKr: 48_386, ThresholdKr: 86_900, HeadroomBaseKr: 38_514}
	above := pension.Projection{Year: 2025, YTDGrossWageKr: 150_000, ProjectedBaseKr: 138_000, ThresholdKr: 86_900, EstimatedReductionKr: 15_330}
	tests := []struct {
		code string
		proj pension.Projection
		lang lang
		want string
	}{
		{work.NoteYearEndedBelow, below, da, "Ud fra dine timer og lønsedler tjente du 52.593 kr i løn i 2025. Efter vores skøn endte den indkomst, der tæller med for pensionen, ca. 38.514 kr under grænsen, så din pension for 2025 bliver ikke sat ned."},
		{work.NoteYearEndedBelow, below, en, "From your hours and payslips you earned 52,593 kr in pay in 2025. By our estimate the income that counts for the pension ended the year about 38,514 kr below the limit, so your pension for 2025 is not reduced."},
		{work.NoteYearEndedOver, above, da, "Ud fra dine timer og lønsedler tjente du 150.000 kr i løn i 2025. Efter vores skøn endte den indkomst, der tæller med for pensionen, ca. 51.100 kr over grænsen, så din pension for 2025 bliver sat ned med ca. 15.330 kr. Det er helt i orden at arbejde. Tal med din vejleder om, hvad det betyder for dig."},
		{work.NoteYearEndedOver, above, en, "From your hours and payslips you earned 150,000 kr in pay in 2025. By our estimate the income that counts for the pension ended the year about 51,100 kr above the limit, so your pension for 2025 is reduced by about 15,330 kr. Working is absolutely fine. Talk to your counselor about what it means for you."},
	}
	for _, tt := range tests {
		st := work.PensionStatus{Projection: tt.proj, Notes: []work.Note{{Code: tt.code}}}
		if got := withNoteTexts(tt.lang, st).Notes[0].Text; got != tt.want {
			t.Errorf("%s %s:\n got %q\nwant %q", tt.lang, tt.code, got, tt.want)
		}
	}
}
