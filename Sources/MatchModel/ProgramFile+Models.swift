/// The program-file keys of SPEC 9 (matching models beyond one-to-k): tiers,
/// custom criteria, external scores, objective stages and level access.
extension ProgramFile {
    static let factorNames = ["skills", "level", "timezone", "preference", "style", "cross_department"]

    /// `objective:` as a name (`coverage_then_score`) or a list of distinct stages.
    mutating func readObjective(_ value: YAMLValue, _ d: inout Diagnostics) {
        let names = Objective.named.map(\.name)
        if case .sequence = value.node {
            guard let items = value.sequence("objective", &d) else { return }
            var stages: [ObjectiveStage] = []
            for item in items {
                guard let s = item.string("objective stage", &d) else { continue }
                guard let stage = ObjectiveStage(rawValue: s) else {
                    d.error(
                        item.location, "objective stage '\(s)' is not known" + DidYouMean.phrase(for: s, in: ObjectiveStage.allCases.map(\.rawValue)))
                    continue
                }
                if stages.contains(stage) {
                    d.error(item.location, "objective stage '\(s)' is listed twice; each stage is maximised once")
                    continue
                }
                stages.append(stage)
            }
            if items.isEmpty {
                d.error(value.location, "objective lists no stage; e.g. [coverage, mentors_used, total_points]")
                return
            }
            policy.objective = Objective(stages: stages)
            return
        }
        guard let s = value.string("objective", &d) else { return }
        if let o = Objective.named.first(where: { $0.name == s }) {
            policy.objective = o.objective
        } else {
            d.error(
                value.location,
                "objective '\(s)' is not known" + DidYouMean.phrase(for: s, in: names) + " (or a list of stages, e.g. [coverage, mentors_used])")
        }
    }

    /// `tiers:` — name → {level_gap, mentor_eligibility}.
    mutating func readTiers(_ value: YAMLValue, _ d: inout Diagnostics) {
        tiersLocation = value.location
        if value.isNull {
            policy.tiers = []
            return
        }
        guard let entries = value.mapping("tiers", &d) else { return }
        if entries.count > Self.maximumTiers {
            d.error(value.location, "tiers lists \(entries.count) tiers; at most \(Self.maximumTiers) are allowed")
            return
        }
        var tiers: [Tier] = []
        for (name, _, body) in entries {
            var tier = Tier(name: name)
            let what = "tiers.\(name)"
            if !body.isNull, let keys = body.mapping(what, &d) {
                for (k, l, val) in keys {
                    switch k {
                    case "level_gap":
                        guard let sub = val.mapping("\(what).level_gap", &d) else { continue }
                        for (gk, gl, gv) in sub {
                            let v = gv.int("\(what).level_gap.\(gk)", range: -14...14, &d)
                            switch gk {
                            case "min": tier.levelGapMin = v
                            case "max": tier.levelGapMax = v
                            case "ideal": tier.levelGapIdeal = v
                            default: unknown(gk, gl, in: "\(what).level_gap", ["min", "max", "ideal"], &d)
                            }
                        }
                    case "mentor_eligibility":
                        guard let sub = val.mapping("\(what).mentor_eligibility", &d) else { continue }
                        for (ek, el, ev) in sub {
                            switch ek {
                            case "min_tenure_months": tier.minTenureMonths = ev.int("\(what).mentor_eligibility.\(ek)", range: 0...1_200, &d)
                            case "min_rating": tier.minRating = ev.double("\(what).mentor_eligibility.\(ek)", range: 0...5, &d)
                            default: unknown(ek, el, in: "\(what).mentor_eligibility", ["min_tenure_months", "min_rating"], &d)
                            }
                        }
                    default: unknown(k, l, in: what, ["level_gap", "mentor_eligibility"], &d)
                    }
                }
            }
            tiers.append(tier)
        }
        policy.tiers = tiers
    }

    /// The tiers' level-gap ranges (resolved against the rules) must be non-empty and disjoint.
    func checkTiers(_ d: inout Diagnostics) {
        guard !policy.tiers.isEmpty else { return }
        let at = tiersLocation ?? SourceLocation(file: "program")
        let resolved = policy.resolvedTiers
        for t in resolved where t.levelGap.min > t.levelGap.max {
            d.error(at, "tiers.\(t.name ?? ""): level_gap min (\(t.levelGap.min)) is above max (\(t.levelGap.max)); no pair could be in it")
        }
        for (i, a) in resolved.enumerated() {
            for b in resolved[(i + 1)...] where a.levelGap.min <= b.levelGap.max && b.levelGap.min <= a.levelGap.max {
                d.error(
                    at,
                    "tiers '\(a.name ?? "")' (level gap \(a.levelGap.min)…\(a.levelGap.max)) and '\(b.name ?? "")' (\(b.levelGap.min)…\(b.levelGap.max)) overlap; a pair must belong to one tier at most"
                )
            }
        }
    }

    /// `criteria:` — a list of {name, column, kind, weight}.
    mutating func readCriteria(_ value: YAMLValue, _ d: inout Diagnostics) {
        criteriaLocations = []
        if value.isNull {
            policy.criteria = []
            return
        }
        guard let items = value.sequence("criteria", &d) else { return }
        if items.count > Self.maximumCriteria {
            d.error(value.location, "criteria lists \(items.count) criteria; at most \(Self.maximumCriteria) are allowed")
            return
        }
        var out: [Criterion] = []
        for item in items {
            guard let sub = item.mapping("criteria entry", &d) else { continue }
            var name: String?, column: String?, kind: Criterion.Kind?, weight: Double?
            for (k, l, val) in sub {
                switch k {
                case "name": name = val.string("criteria.name", &d)
                case "column": column = val.string("criteria.column", &d)
                case "kind":
                    guard let s = val.string("criteria.kind", &d) else { continue }
                    kind = Criterion.Kind(rawValue: s)
                    if kind == nil {
                        d.error(
                            val.location, "criteria.kind '\(s)' is not known" + DidYouMean.phrase(for: s, in: Criterion.Kind.allCases.map(\.rawValue))
                        )
                    }
                case "weight": weight = val.double("criteria.weight", range: 0...1_000, &d)
                default: unknown(k, l, in: "criteria entry", ["name", "column", "kind", "weight"], &d)
                }
            }
            let example = "e.g. {name: interests, column: interests, kind: overlap, weight: 0.1}"
            var missing: [String] = []
            if name?.trimmedWhitespace.isEmpty ?? true { missing.append("name") }
            if column?.trimmedWhitespace.isEmpty ?? true { missing.append("column") }
            if kind == nil && !sub.contains(where: { $0.key == "kind" }) { missing.append("kind") }
            if weight == nil && !sub.contains(where: { $0.key == "weight" }) { missing.append("weight") }
            if !missing.isEmpty {
                d.error(item.location, "each criterion needs \(missing.map { "'\($0)'" }.joined(separator: ", ")); \(example)")
                continue
            }
            guard let name, let column, let kind, let weight else { continue }
            if Self.factorNames.contains(name) || name == "external" {
                d.error(item.location, "criterion name '\(name)' is taken by a built-in factor; choose another")
                continue
            }
            if out.contains(where: { $0.name == name }) {
                d.error(item.location, "criterion name '\(name)' is used twice; names must differ")
                continue
            }
            out.append(Criterion(name: name, column: column.trimmedWhitespace, kind: kind, weight: weight))
            criteriaLocations.append(item.location)
        }
        policy.criteria = out
    }

    /// `scores:` — {file, weight, missing}.
    mutating func readScores(_ value: YAMLValue, _ d: inout Diagnostics) {
        if value.isNull {
            scores = nil
            policy.externalScores = nil
            return
        }
        guard let sub = value.mapping("scores", &d) else { return }
        var file: FileReference?, weight: Double?, missing = 0.0
        for (k, l, val) in sub {
            switch k {
            case "file":
                if let s = val.string("scores.file", &d), !s.trimmedWhitespace.isEmpty {
                    file = FileReference(path: s, location: val.location)
                } else {
                    d.error(val.location, "scores.file must name a CSV file (mentor_id,mentee_id,score)")
                }
            case "weight": weight = val.double("scores.weight", range: 0...1_000, &d)
            case "missing": missing = val.double("scores.missing", range: 0...1, &d) ?? missing
            default: unknown(k, l, in: "scores", ["file", "weight", "missing"], &d)
            }
        }
        guard let file, let weight else {
            if !sub.contains(where: { $0.key == "file" }) || !sub.contains(where: { $0.key == "weight" }) {
                d.error(value.location, "scores needs 'file' and 'weight', e.g. {file: scores.csv, weight: 0.3}")
            }
            return
        }
        scores = file
        policy.externalScores = ExternalScores(weight: weight, missing: missing)
    }

    /// `equity.level_access:` — {tolerance, bands: [[lo, hi], …]}.
    func readLevelAccess(_ value: YAMLValue, _ d: inout Diagnostics) -> Equity.LevelAccess? {
        let name = "equity.level_access"
        guard let sub = value.mapping(name, &d) else { return nil }
        var tolerance = 0.0
        var bands: [ClosedRange<Int>]?
        for (k, l, val) in sub {
            switch k {
            case "tolerance": tolerance = val.double("\(name).tolerance", range: 0...1, &d) ?? tolerance
            case "bands":
                guard let items = val.sequence("\(name).bands", &d) else { continue }
                var out: [ClosedRange<Int>] = []
                for item in items {
                    guard case .sequence = item.node, let pair = item.sequence("\(name).bands entry", &d), pair.count == 2 else {
                        d.error(item.location, "each band is a pair of levels [lowest, highest], e.g. [4, 6]")
                        continue
                    }
                    guard let lo = pair[0].int("\(name) band", range: 1...15, &d), let hi = pair[1].int("\(name) band", range: 1...15, &d)
                    else { continue }
                    guard lo <= hi else {
                        d.error(item.location, "band [\(lo), \(hi)] is empty: its lowest level is above its highest")
                        continue
                    }
                    if let other = out.first(where: { $0.overlaps(lo...hi) }) {
                        d.error(item.location, "band [\(lo), \(hi)] overlaps [\(other.lowerBound), \(other.upperBound)]; bands must not overlap")
                        continue
                    }
                    out.append(lo...hi)
                }
                bands = out
            default: unknown(k, l, in: name, ["tolerance", "bands"], &d)
            }
        }
        guard let bands, !bands.isEmpty else {
            d.error(value.location, "\(name) needs 'bands', e.g. {tolerance: 0.1, bands: [[1, 3], [4, 6], [7, 15]]}")
            return nil
        }
        return Equity.LevelAccess(tolerance: tolerance, bands: bands)
    }

    static let maximumTiers = 10
    static let maximumCriteria = 20
}
