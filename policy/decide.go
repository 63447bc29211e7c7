package policy

import (
	"fmt"
	"strings"

	"github.com/aftersale/aftersale/date"
)

// Decide judges facts by the version in force on the purchase date, following
// the steps of docs/eligibility.md ("How a decision is made"). Facts that
// break the contract's rules give an *InputError naming each field.
func (p *Policy) Decide(f *Facts) (Decision, error) {
	var d Decision
	if err := checkFacts(f); err != nil {
		return d, err
	}
	v, err := p.VersionOn(f.PurchasedOn)
	if err != nil {
		return d, fieldError("purchased_on", err.Error())
	}
	d.Version = v
	j := judgement{f: f, v: v, d: &d}
	if err := j.resolve(); err != nil {
		return d, err
	}
	j.warranty()
	d.RespondBy = f.ReportedOn.AddDays(v.Answer.Days)
	if err := representable(&d); err != nil {
		return Decision{}, err
	}
	j.decide()
	j.citeChannel()
	d.say(Reason{Code: ReasonAnswerBy, Dates: [3]date.Date{d.RespondBy}, N: v.Answer.Days})
	return d, nil
}

// lastDay is the last day a date may name; the facts' own dates are checked
// on the way in, so only the decision's later ones can pass it.
var lastDay = date.MustParse(fmt.Sprintf("%d-12-31", date.MaxYear))

// representable refuses facts so late in the calendar that a date of the
// decision would fall after the last day a date may name (date.MaxYear):
// such a decision could be neither written as the contract's YYYY-MM-DD
// nor stored and read back.
func representable(d *Decision) error {
	if d.RespondBy.After(lastDay) {
		return fieldError("reported_on", fmt.Sprintf("is too late: the answer would be due after %d-12-31", date.MaxYear))
	}
	if d.Warranty.EndsOn.After(lastDay) {
		return fieldError("purchased_on", fmt.Sprintf("is too late: the cover would end after %d-12-31", date.MaxYear))
	}
	return nil
}

// judgement is one decision in the making.
type judgement struct {
	f        *Facts
	v        *Version
	d        *Decision
	months   int       // the warranty period; 0 when there is none
	origEnd  date.Date // the end of the period before any reshipment
	paid     bool      // paid repair is offered for this product
	hasTerm  bool      // the product has its own term (2.N1)
	contract bool      // a distribution contract sets the windows (A4)
	windows  Contract  // the windows in force: the contract's or the policy's
}

// resolve finds the category, the product-specific term and the contract.
func (j *judgement) resolve() error {
	f, v, d := j.f, j.v, j.d
	switch prod, inPolicy := v.products[f.SKU]; {
	case f.Catalog != nil:
		cat, ok := v.categories[f.Catalog.Category]
		if !ok {
			return fieldError("sku", "the catalog gives "+quote(f.Catalog.SKU)+" the category "+quote(f.Catalog.Category)+
				", which policy version "+v.ID+" does not know")
		}
		d.Category, j.months, j.paid = cat, cat.WarrantyMonths, cat.PaidRepair
		if f.Catalog.HasTerm {
			j.months, j.hasTerm, j.paid = f.Catalog.WarrantyMonths, true, f.Catalog.WarrantyMonths > 0
		}
	case inPolicy && f.SKU != "":
		d.Product, d.Category = prod, prod.Category
		j.months, j.paid, j.hasTerm = prod.Category.WarrantyMonths, prod.PaidRepair, prod.HasTerm
		if prod.HasTerm {
			j.months = prod.WarrantyMonths
		}
	case f.Category == "":
		return fieldError("category", "is required unless sku names a product of the catalog")
	default:
		cat, ok := v.categories[f.Category]
		if !ok {
			return fieldError("category", quote(f.Category)+" is not a category of policy version "+v.ID+
				"; the categories are "+strings.Join(v.categoryKeys(), ", "))
		}
		d.Category, j.months, j.paid = cat, cat.WarrantyMonths, cat.PaidRepair
	}
	j.windows = Contract{Return: v.Return, Replacement: v.Replacement, MissingParts: v.MissingParts,
		DamagedOnArrival: v.DamagedOnArrival}
	if f.Distributor != "" {
		if f.Channel != ChannelAuthorizedDistributor {
			return fieldError("distributor", "is given, but channel is "+f.Channel.String()+", not authorized_distributor")
		}
		c, ok := v.contracts[f.Distributor]
		if !ok && f.Contract == nil {
			return fieldError("distributor", "no distribution contract for "+quote(f.Distributor)+" in policy version "+v.ID)
		}
		if ok {
			j.contract, j.windows = true, *c
		}
	}
	if t := f.Contract; t != nil && f.Channel == ChannelAuthorizedDistributor {
		if t.ReturnDays > 0 {
			j.contract, j.windows.Return.Days = true, t.ReturnDays
		}
		if t.ReplacementDays > 0 {
			j.contract, j.windows.Replacement.Days = true, t.ReplacementDays
		}
	}
	return nil
}

// warranty is step 1: the cover, always computed.
func (j *judgement) warranty() {
	f, v, w := j.f, j.v, &j.d.Warranty
	w.StartsOn = f.PurchasedOn
	if v.WarrantyStart == StartDeliveryOrPurchase && !f.DeliveredOn.IsZero() {
		w.StartsOn = f.DeliveredOn
	}
	if j.months > 0 {
		w.EndsOn = w.StartsOn.AddMonths(j.months)
	}
	j.origEnd = w.EndsOn
	if !f.ReshippedOn.IsZero() {
		if r := f.ReshippedOn.AddMonths(v.RepairedUnit.Months); w.EndsOn.IsZero() || r.After(w.EndsOn) {
			w.EndsOn = r
		}
	}
	w.Covered = !w.EndsOn.IsZero() && !f.ReportedOn.After(w.EndsOn) && f.Channel != ChannelUnauthorizedReseller
}

// decide runs steps 2 to 9: the first that applies decides.
func (j *judgement) decide() {
	f := j.f
	switch {
	case f.Channel == ChannelUnauthorizedReseller:
		j.unauthorizedReseller()
	case f.Channel == ChannelAuthorizedDistributor && f.Applicant != ApplicantDistributor &&
		(f.Request == RequestReturn || (f.Applicant == ApplicantCustomer && !f.DistributorUnreachable)):
		j.referToDistributor()
	case j.v.ProofRequired && !f.ProofOfPurchase:
		j.needProof()
	case f.Request == RequestReturn:
		j.changeOfMind()
	case (f.Request == RequestDefect || f.Request == RequestDamagedOnArrival) && j.excluded():
		j.exclusion()
	case f.Request == RequestMissingParts:
		j.onArrival(j.windows.MissingParts, RemedyShipMissingParts)
	case f.Request == RequestDamagedOnArrival:
		j.onArrival(j.windows.DamagedOnArrival, RemedyFreeReplacement)
	case j.months > 0:
		j.defectInWarrantyCategory()
	default:
		j.defectWithoutWarranty()
	}
}

func (j *judgement) excluded() bool {
	_, ok := j.v.Exclusion(j.f.Cause)
	return ok
}

// step 2
func (j *judgement) unauthorizedReseller() {
	d := j.d
	d.Outcome = OutcomeNotEligible
	d.cite(j.v.UnauthorizedReseller)
	d.say(Reason{Code: ReasonUnauthorizedReseller})
	if j.f.Request == RequestDefect {
		j.paidServiceOnly(shipAfterWarranty)
	}
}

// paidServiceOnly offers what a customer can still have at his own cost.
func (j *judgement) paidServiceOnly(situation int) {
	d := j.d
	if j.paid {
		d.Remedies = d.Remedies.with(RemedyPaidRepair)
		d.cite(j.v.PaidRepair)
	}
	d.Remedies = d.Remedies.with(RemedyTechnicalSupport)
	d.say(Reason{Code: ReasonPaidService, Flag: j.paid})
	j.ship(situation)
}

// The situations of the policy's shipping rules (docs/policy-reading.md I-6).
const (
	shipChangeOfMind = iota
	shipQualityRemedy
	shipExcluded
	shipAfterWarranty
)

// ship applies the shipping rule of one situation. It comes after the
// remedies are set: what travels depends on them.
func (j *judgement) ship(situation int) {
	s := [...]Shipping{j.v.ChangeOfMindShipping, j.v.QualityRemedyShipping, j.v.ExcludedShipping,
		j.v.AfterWarrantyShipping}[situation]
	j.d.ShippingPaidBy = s.PaidBy
	j.d.cite(s.Clause)
	j.d.say(Reason{Code: ReasonShipping, Flag: s.PaidBy == PaidBySeller, N: situation, Remedy: shipped(j.d.Remedies)})
}

// shipped says what the shipping of remedies s is for, as the reasons word
// it: RemedyShipMissingParts, the parts travel one way, to the customer;
// RemedyPaidRepair, a repair costs the customer besides the shipping;
// RemedyTechnicalSupport alone, nothing need travel and nothing is repaired;
// otherwise RemedyRefund (the zero value): the product travels both ways.
func shipped(s RemedySet) Remedy {
	switch {
	case s.Has(RemedyShipMissingParts):
		return RemedyShipMissingParts
	case s.Has(RemedyPaidRepair):
		return RemedyPaidRepair
	case s == RemedySet(0).with(RemedyTechnicalSupport):
		return RemedyTechnicalSupport
	}
	return RemedyRefund
}

// step 3
func (j *judgement) referToDistributor() {
	d := j.d
	d.Outcome = OutcomeReferToDistributor
	d.cite(j.v.ReferClauses...)
	d.say(Reason{Code: ReasonReferToDistributor, Flag: j.f.Request == RequestReturn})
}

// step 4
func (j *judgement) needProof() {
	d, f := j.d, j.f
	d.Outcome = OutcomeNeedsInformation
	d.Missing = d.Missing.with(FactProofOfPurchase)
	d.cite(j.v.ProofClause)
	d.say(Reason{Code: ReasonNeedProof})
	onArrival := f.Request == RequestMissingParts || (f.Request == RequestDamagedOnArrival && !j.excluded())
	if onArrival && f.DeliveredOn.IsZero() {
		w := j.windows.MissingParts
		if f.Request == RequestDamagedOnArrival {
			w = j.windows.DamagedOnArrival
		}
		if f.ReportedOn.After(f.PurchasedOn.AddDays(w.Days)) {
			d.Missing = d.Missing.with(FactDeliveredOn)
			d.say(Reason{Code: ReasonNeedDelivery, N: w.Days, Flag: f.Request == RequestMissingParts})
		}
	}
}

// step 5
func (j *judgement) changeOfMind() {
	d, f, w := j.d, j.f, j.windows.Return
	d.cite(w.Clause)
	deadline := f.PurchasedOn.AddDays(w.Days)
	r := Reason{Dates: [3]date.Date{f.PurchasedOn, deadline, f.ReportedOn}, N: w.Days}
	switch {
	case !d.Category.Returnable: // packaging, free gifts (I-11)
		d.Outcome = OutcomeNotEligible
		d.say(Reason{Code: ReasonNotReturnable})
		j.categoryNote()
	case f.ReportedOn.After(deadline):
		d.Outcome = OutcomeNotEligible
		r.Code = ReasonReturnLate
		d.say(r)
	case f.Resellable == VerdictNotResellable:
		d.Outcome = OutcomeNotEligible
		d.say(Reason{Code: ReasonReturnNotResellable})
	default:
		d.Outcome = OutcomeEligible
		d.Remedies = d.Remedies.with(RemedyRefund).with(RemedyExchange)
		r.Code, r.Flag = ReasonReturnInTime, f.Resellable == VerdictResellable
		d.say(r)
		j.ship(shipChangeOfMind)
	}
}

// step 6
func (j *judgement) exclusion() {
	d := j.d
	d.Outcome = OutcomeNotEligible
	ref := j.v.exclusions[j.f.Cause]
	d.cite(ref)
	d.say(Reason{Code: ReasonExcluded, Cause: j.f.Cause, Clause: ref})
	j.paidServiceOnly(shipExcluded)
}

// step 7: missing parts (3.2) and damage on arrival (5.1), from the delivery.
func (j *judgement) onArrival(w Window, remedy Remedy) {
	d, f := j.d, j.f
	d.cite(w.Clause)
	from, byPurchase := f.DeliveredOn, false
	if from.IsZero() {
		from, byPurchase = f.PurchasedOn, true
	}
	deadline := from.AddDays(w.Days)
	r := Reason{Dates: [3]date.Date{from, deadline, f.ReportedOn}, N: w.Days, Remedy: remedy, Flag: byPurchase}
	switch {
	case !f.ReportedOn.After(deadline):
		d.Outcome = OutcomeEligible
		d.Remedies = d.Remedies.with(remedy)
		r.Code = ReasonOnArrivalInTime
		d.say(r)
		j.ship(shipQualityRemedy)
	case byPurchase:
		d.Outcome = OutcomeNeedsInformation
		d.Missing = d.Missing.with(FactDeliveredOn)
		d.say(Reason{Code: ReasonNeedDelivery, N: w.Days, Flag: remedy == RemedyShipMissingParts})
	default:
		d.Outcome = OutcomeNotEligible
		r.Code = ReasonOnArrivalLate
		d.say(r)
	}
}

// step 8: a defect of a product with a warranty period.
func (j *judgement) defectInWarrantyCategory() {
	d, f, v := j.d, j.f, j.v
	d.cite(v.PeriodClause, v.StartClause)
	if j.hasTerm {
		d.cite(v.ProductClause)
	}
	d.say(j.periodReason())
	start := d.Warranty.StartsOn
	deadline := start.AddDays(j.windows.Replacement.Days)
	switch {
	case f.ReshippedOn.IsZero() && !f.ReportedOn.After(deadline):
		d.Outcome = OutcomeEligible
		d.Remedies = d.Remedies.with(RemedyFreeReplacement)
		d.cite(j.windows.Replacement.Clause)
		d.say(Reason{Code: ReasonReplacement, Dates: [3]date.Date{start, deadline, f.ReportedOn}, N: j.windows.Replacement.Days,
			Start: j.startKind()})
		j.ship(shipQualityRemedy)
	case d.Warranty.Covered:
		d.Outcome = OutcomeEligible
		d.Remedies = d.Remedies.with(RemedyFreeRepair)
		d.cite(v.FreeRepair)
		j.reshipment()
		d.say(Reason{Code: ReasonFreeRepair})
		j.ship(shipQualityRemedy)
	default:
		d.Outcome = OutcomeNotEligible
		d.cite(v.OutsideClause)
		j.reshipment()
		j.paidServiceOnly(shipAfterWarranty)
	}
}

func (j *judgement) periodReason() Reason {
	w := j.d.Warranty
	return Reason{Code: ReasonPeriod, Dates: [3]date.Date{w.StartsOn, j.origEnd, j.f.ReportedOn}, N: j.months,
		Flag: !j.f.ReportedOn.After(j.origEnd), Start: j.startKind()}
}

// reshipment explains the cover of a repaired or replaced unit (5.5) when it
// is what decides.
func (j *judgement) reshipment() {
	f, d := j.f, j.d
	if f.ReshippedOn.IsZero() || (!j.origEnd.IsZero() && !f.ReportedOn.After(j.origEnd)) {
		return
	}
	d.cite(j.v.RepairedUnit.Clause)
	d.say(Reason{Code: ReasonReshipped, Dates: [3]date.Date{f.ReshippedOn, d.Warranty.EndsOn, f.ReportedOn},
		N: j.v.RepairedUnit.Months, Flag: d.Warranty.Covered, Original: !j.origEnd.IsZero()})
}

// step 9: a defect of a product without a warranty period (I-3).
func (j *judgement) defectWithoutWarranty() {
	d, f, v := j.d, j.f, j.v
	d.cite(v.PeriodClause)
	start := d.Warranty.StartsOn
	deadline := start.AddDays(j.windows.Replacement.Days)
	r := Reason{Code: ReasonNoWarranty, Dates: [3]date.Date{start, deadline, f.ReportedOn},
		N: j.windows.Replacement.Days, Start: j.startKind()}
	switch {
	case f.ReshippedOn.IsZero() && !f.ReportedOn.After(deadline):
		d.Outcome = OutcomeEligible
		d.Remedies = d.Remedies.with(RemedyReplaceDefectiveParts)
		d.cite(v.StartClause, j.windows.Replacement.Clause)
		r.Flag = true
		d.say(r)
		j.categoryNote()
		j.ship(shipQualityRemedy)
	case !f.ReshippedOn.IsZero() && d.Warranty.Covered:
		d.Outcome = OutcomeEligible
		d.Remedies = d.Remedies.with(RemedyReplaceDefectiveParts)
		j.reshipment()
		d.say(Reason{Code: ReasonReplacePart})
		j.categoryNote()
		j.ship(shipQualityRemedy)
	default:
		d.Outcome = OutcomeNotEligible
		d.cite(v.OutsideClause)
		if f.ReshippedOn.IsZero() {
			d.say(r)
		} else {
			j.reshipment()
		}
		j.categoryNote()
		d.Remedies = d.Remedies.with(RemedyTechnicalSupport)
		d.say(Reason{Code: ReasonPaidService})
		j.ship(shipAfterWarranty)
	}
}

// categoryNote cites the category's own clauses (A1, 2.N2, 5.1 by default).
func (j *judgement) categoryNote() {
	c := j.d.Category
	if len(c.Clauses) == 0 {
		return
	}
	j.d.cite(c.Clauses...)
	if c.Note != "" {
		j.d.say(Reason{Code: ReasonCategoryNote})
	}
}

func (j *judgement) startKind() StartKind {
	switch {
	case j.v.WarrantyStart == StartPurchase:
		return StartedOnPurchase
	case j.f.DeliveredOn.IsZero():
		return StartedOnPurchaseNoDelivery
	}
	return StartedOnDelivery
}

// citeChannel is step 10.
func (j *judgement) citeChannel() {
	f, d := j.f, j.d
	if f.Channel != ChannelAuthorizedDistributor || d.Outcome == OutcomeReferToDistributor {
		return
	}
	d.cite(j.v.HeadquartersClause)
	if f.Applicant == ApplicantDistributor && f.Request == RequestReturn {
		d.cite(j.v.ContractClause)
		d.say(Reason{Code: ReasonDistributorContract})
	} else if f.Applicant != ApplicantDistributor {
		d.say(Reason{Code: ReasonHeadquarters, Flag: f.Applicant == ApplicantStaff})
	}
	if j.contract {
		d.cite(j.v.ContractClause)
	}
}
