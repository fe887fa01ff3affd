package handlers

import (
	"strconv"
	"strings"

	"github.com/jobbanken/jobkunde/work"
)

// pensionNotes are the texts a participant reads with their estimate: calm,
// never scolding, always clear that it is an estimate and that the
// counselor is the one to ask. {headroom}, {reduction}, {based}, {year},
// {earned} (the year's gross pay), {below} and {above} (the counted income's
// distance to the threshold) are filled in from the estimate; {figure} and
// {from} by fallbackText.
var pensionNotes = map[string]text{
	work.NoteHeadroom: {
		"Efter vores skøn for hele året er der plads til ca. {headroom} kr mere i løn, før din pension bliver sat ned.",
		"By our estimate for the whole year there is room for about {headroom} kr more in pay before your pension is reduced.",
	},
	work.NoteOverThreshold: {
		"Efter vores skøn bliver din pension sat ned med ca. {reduction} kr i år. Det er helt i orden at arbejde. Tal med din vejleder om, hvad det betyder for dig.",
		"By our estimate your pension will be reduced by about {reduction} kr this year. Working is absolutely fine. Talk to your counselor about what it means for you.",
	},
	work.NotePensionStops: {
		"Efter vores skøn bliver din indkomst i {year} så høj, at din pension for hele året bliver 0 kr. Det er helt i orden at arbejde. Tal med din vejleder om, hvad det betyder for dig.",
		"By our estimate your income in {year} will be high enough that your pension for the whole year will be 0 kr. Working is absolutely fine. Talk to your counselor about what it means for you.",
	},
	work.NoteYearEndedBelow: {
		"Ud fra dine timer og lønsedler tjente du {earned} kr i løn i {year}. Efter vores skøn endte den indkomst, der tæller med for pensionen, ca. {below} kr under grænsen, så din pension for {year} bliver ikke sat ned.",
		"From your hours and payslips you earned {earned} kr in pay in {year}. By our estimate the income that counts for the pension ended the year about {below} kr below the limit, so your pension for {year} is not reduced.",
	},
	work.NoteYearEndedOver: {
		"Ud fra dine timer og lønsedler tjente du {earned} kr i løn i {year}. Efter vores skøn endte den indkomst, der tæller med for pensionen, ca. {above} kr over grænsen, så din pension for {year} bliver sat ned med ca. {reduction} kr. Det er helt i orden at arbejde. Tal med din vejleder om, hvad det betyder for dig.",
		"From your hours and payslips you earned {earned} kr in pay in {year}. By our estimate the income that counts for the pension ended the year about {above} kr above the limit, so your pension for {year} is reduced by about {reduction} kr. Working is absolutely fine. Talk to your counselor about what it means for you.",
	},
	work.NoteYearEndedPensionStops: {
		"Ud fra dine timer og lønsedler tjente du {earned} kr i løn i {year}. Efter vores skøn var den indkomst, der tæller med for pensionen, så høj, at din pension for {year} bliver 0 kr. Det er helt i orden at arbejde. Tal med din vejleder om, hvad det betyder for dig.",
		"From your hours and payslips you earned {earned} kr in pay in {year}. By our estimate the income that counts for the pension was high enough that your pension for {year} is 0 kr. Working is absolutely fine. Talk to your counselor about what it means for you.",
	},
	work.NoteBasisPlan: {
		"Resten af året er regnet med dine planlagte timer.",
		"The rest of the year is counted at your planned hours.",
	},
	work.NoteBasisRecent: {
		"Resten af året er regnet med dit gennemsnit fra de seneste fire uger.",
		"The rest of the year is counted at your average of the last four weeks.",
	},
	work.NoteBasisYTDOnly: {
		"Skønnet tæller kun det, du har tjent indtil nu.",
		"The estimate counts only what you have earned so far.",
	},
	work.NoteEstimate: {
		"Det er et skøn. Den endelige beregning laver Udbetaling Danmark. Spørg din vejleder, hvis du er i tvivl.",
		"This is an estimate. The official calculation comes from Udbetaling Danmark. Ask your counselor if you are unsure.",
	},
	work.NoteOlderFigures: {
		"Skønnet bygger på satserne for {based}. De officielle satser for {year} er ikke lagt ind endnu.",
		"The estimate is based on the {based} figures. The official {year} figures are not entered yet.",
	},
	work.NoteProfileMissing: {
		"Vi regner, som om du bor alene. Fortæl os om din husstand, så bliver skønnet mere præcist.",
		"We count as if you live alone. Tell us about your household to make the estimate more precise.",
	},
	work.NoteFlexjob: {
		"Et fleksjob afløser førtidspensionen, så skønnet gælder ikke for et fleksjob. Tal med din vejleder.",
		"A flexjob replaces the disability pension, so the estimate does not apply to a flexjob. Talk to your counselor.",
	},
	work.NoteWhatIfNoDaysLeft: {
		"Der er ingen dage tilbage af {year} at regne med, så skønnet for i år er det samme. Fra 1. januar kan du regne på det nye år.",
		"There are no days left of {year} to count, so this year's estimate stays the same. From 1 January you can try it for the new year.",
	},
	// One sentence for each figure taken from an earlier year ({figure}
	// from figureNames, {from} its year).
	work.NoteFigureFromEarlierYear: {
		"{figure} er taget fra satserne for {from}, fordi tallet for {year} ikke er lagt ind endnu.",
		"{figure} is taken from the {from} figures, because the {year} figure is not entered yet.",
	},
	work.NoteInternshipWages: {
		"Timer i virksomhedspraktik tæller 0 kr, fordi praktikken er ulønnet.",
		"Internship hours count 0 kr, because an internship is unpaid.",
	},
}

// figureNames name, in plain words, the figures that can come from an
// earlier year on their own (pension.UsedFigure.Fallback).
var figureNames = map[string]text{
	"spouseMaxPensionerKr":    {"Loftet over din partners indkomst", "The cap on your partner's income"},
	"spouseMaxNonPensionerKr": {"Loftet over din partners indkomst", "The cap on your partner's income"},
	"spouseDisregardKr":       {"Det beløb af din partners indkomst, der ikke tæller med,", "The amount of your partner's income that does not count"},
}

// otherFigure names a figure figureNames lacks.
var otherFigure = text{"Et af tallene i skønnet", "One of the figures in the estimate"}

// headroomHoursNote follows the headroom when a wage is known.
var headroomHoursNote = text{
	" Det svarer til ca. {hours} timers arbejde.",
	" That is about {hours} hours of work.",
}

// withNoteTexts fills in each note's text in l.
func withNoteTexts(l lang, st work.PensionStatus) work.PensionStatus {
	fill := strings.NewReplacer(
		"{headroom}", kr(l, st.HeadroomGrossKr), "{reduction}", kr(l, st.EstimatedReductionKr),
		"{based}", strconv.Itoa(st.EstimateBasedOnYear), "{year}", strconv.Itoa(st.Year),
		"{earned}", kr(l, st.YTDGrossWageKr), "{below}", kr(l, st.HeadroomBaseKr),
		"{above}", kr(l, max(0, st.ProjectedBaseKr-st.ThresholdKr)),
	)
	notes := make([]work.Note, len(st.Notes))
	for i, n := range st.Notes {
		t, ok := pensionNotes[n.Code]
		if !ok {
			notes[i] = n
			continue
		}
		s := fill.Replace(pick(l, t))
		if n.Code == work.NoteFigureFromEarlierYear {
			s = fallbackText(l, st, s)
		}
		if n.Code == work.NoteHeadroom && st.HeadroomHours != nil {
			s += strings.ReplaceAll(pick(l, headroomHoursNote), "{hours}", decimal(l, *st.HeadroomHours))
		}
		notes[i] = work.Note{Code: n.Code, Text: s}
	}
	st.Notes = notes
	return st
}

// fallbackText fills template (with {figure} and {from} left) once for
// each figure of st taken from an earlier year.
func fallbackText(l lang, st work.PensionStatus, template string) string {
	var out []string
	for _, f := range st.FiguresUsed {
		if !f.Fallback {
			continue
		}
		name, ok := figureNames[f.Name]
		if !ok {
			name = otherFigure
		}
		out = append(out, strings.NewReplacer("{figure}", pick(l, name), "{from}", strconv.Itoa(f.Year)).Replace(template))
	}
	return strings.Join(out, " ")
}

// kr formats whole kroner with the language's thousands separator:
// 42.643 in Danish, 42,643 in English.
func kr(l lang, v int64) string {
	sep := "."
	if l == en {
		sep = ","
	}
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// decimal formats hours with one decimal and the language's decimal mark.
func decimal(l lang, v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if l == da {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}
