import Foundation
import Yams

/// The program file (`program.yaml`, SPEC 1.3) as written: metadata, the
/// policy, and the side files it names, each with where it was named.
public struct ProgramFile: Sendable {
    public struct FileReference: Sendable {
        /// As written in the program file.
        public var path: String
        public var location: SourceLocation
    }

    public var name: String?
    public var cohort: String = ""
    public var start: ProgramDate?
    public var durationMonths: Int = 6
    public var roster: FileReference?
    public var preferences: FileReference?
    public var exclusions: FileReference?
    public var history: FileReference?
    public var org: FileReference?
    /// The external scores file (SPEC 9.6).
    public var scores: FileReference?
    public var policy = Policy()
    /// Where `tiers:` was given (for the overlap check).
    var tiersLocation: SourceLocation?
    /// Where `rules.mentors_per_mentee` was given, if it was (tiers make it ignored, with a warning).
    var mentorsPerMenteeLocation: SourceLocation?
    /// Where each criterion was given, in ``Policy/criteria`` order.
    public internal(set) var criteriaLocations: [SourceLocation] = []

    /// Every key the program file accepts, by section (for did-you-mean).
    public static let topKeys = [
        "name", "cohort", "start", "duration_months", "roster", "preferences",
        "exclusions", "history", "org", "weights", "rules", "equity", "objective", "solver", "tiers", "criteria", "scores"
    ]
    static let weightKeys = ["skills", "level", "timezone", "preference", "style", "cross_department"]
    static let ruleKeys = [
        "mentors_per_mentee", "max_timezone_gap_hours", "shared_language", "level_gap",
        "default_capacity", "capacity_by_level", "exclude_management_chain",
        "no_repeat_pairs", "mentor_eligibility", "min_pair_points", "stable"
    ]
    /// Group-access rules: one per attribute and a few more; each adds rows for every value.
    static let maximumGroupAccessRules = 50
    static let equityKeys = ["group_access", "department_access", "max_same_department_per_mentor", "location_reach", "level_access"]

    /// The program file at `path` read leniently — its keys without its files, problems
    /// ignored — for what a command needs before (or without) loading the program: the
    /// cycle's name, the files to protect. Nil when it cannot be read at all.
    public static func lenient(path: String) -> ProgramFile? {
        guard let text = try? YAMLText.read(path: path, what: "program file") else { return nil }
        var ignored = Diagnostics()
        return ProgramFile(yaml: text, file: path, diagnostics: &ignored)
    }

    /// Parses program YAML, collecting every problem into `diagnostics`.
    public init(yaml text: String, file: String, diagnostics d: inout Diagnostics) {
        let root: Node?
        switch YAMLText.compose(text, file: file) {
        case .success(let node): root = node
        case .failure(let error):
            d.append(contentsOf: error.diagnostics)
            return
        }
        guard let root else {
            d.error(SourceLocation(file: file, line: 1, column: 1), "the program file is empty; it needs at least 'roster: roster.csv'")
            return
        }
        apply(root, file: file, diagnostics: &d)
        checkTiers(&d)
        if roster == nil {
            d.error(SourceLocation(file: file, line: 1, column: 1), "the program file must name a roster, e.g. 'roster: roster.csv'")
        }
    }

    /// Applies the keys of a YAML mapping over what is already set (the
    /// program file itself, or an override such as `--set rules.shared_language=false`).
    public mutating func apply(_ root: Node, file: String, diagnostics d: inout Diagnostics) {
        let top = YAMLValue(node: root, file: file)
        guard let entries = top.mapping("the program file", &d) else { return }
        for (key, keyLoc, value) in entries {
            switch key {
            case "name": name = value.string("name", &d)
            case "cohort": cohort = value.string("cohort", &d) ?? ""
            case "start":
                if let s = value.string("start", &d) {
                    if let date = ProgramDate(s) { start = date } else { d.error(value.location, "start must be a date YYYY-MM-DD, not '\(s)'") }
                }
            case "duration_months": durationMonths = value.int("duration_months", range: 1...120, &d) ?? durationMonths
            case "roster": roster = fileRef(value, key, &d)
            case "preferences": preferences = fileRef(value, key, &d)
            case "exclusions": exclusions = fileRef(value, key, &d)
            case "history": history = fileRef(value, key, &d)
            case "org": org = fileRef(value, key, &d)
            case "weights": readWeights(value, &d)
            case "rules": readRules(value, &d)
            case "equity": readEquity(value, &d)
            case "objective": readObjective(value, &d)
            case "solver": readSolver(value, &d)
            case "tiers": readTiers(value, &d)
            case "criteria": readCriteria(value, &d)
            case "scores": readScores(value, &d)
            default:
                d.error(keyLoc, "unknown key '\(key)'" + DidYouMean.phrase(for: key, in: Self.topKeys))
            }
        }
    }

    private func fileRef(_ v: YAMLValue, _ key: String, _ d: inout Diagnostics) -> FileReference? {
        if v.isNull && key != "roster" { return nil }
        guard let s = v.string(key, &d), !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            if !v.isNull { d.error(v.location, "\(key) must name a CSV file") } else { d.error(v.location, "\(key) must name a CSV file") }
            return nil
        }
        return FileReference(path: s, location: v.location)
    }

    func unknown(_ key: String, _ loc: SourceLocation, in section: String, _ keys: [String], _ d: inout Diagnostics) {
        d.error(loc, "unknown key '\(key)' in \(section)" + DidYouMean.phrase(for: key, in: keys))
    }

    private mutating func readWeights(_ v: YAMLValue, _ d: inout Diagnostics) {
        guard !v.isNull, let entries = v.mapping("weights", &d) else { return }
        for (key, loc, value) in entries {
            let w = value.double("weights.\(key)", range: 0...1_000, &d)
            switch key {
            case "skills": policy.weights.skills = w ?? policy.weights.skills
            case "level": policy.weights.level = w ?? policy.weights.level
            case "timezone": policy.weights.timezone = w ?? policy.weights.timezone
            case "preference": policy.weights.preference = w ?? policy.weights.preference
            case "style": policy.weights.style = w ?? policy.weights.style
            case "cross_department": policy.weights.crossDepartment = w ?? policy.weights.crossDepartment
            default: unknown(key, loc, in: "weights", Self.weightKeys, &d)
            }
        }
    }

    private mutating func readRules(_ v: YAMLValue, _ d: inout Diagnostics) {
        guard !v.isNull, let entries = v.mapping("rules", &d) else { return }
        var r = policy.rules
        for (key, loc, value) in entries {
            let name = "rules.\(key)"
            switch key {
            case "mentors_per_mentee":
                r.mentorsPerMentee = value.int(name, range: 1...10, &d) ?? r.mentorsPerMentee
                mentorsPerMenteeLocation = value.location
            case "max_timezone_gap_hours":
                r.maxTimezoneGapHours = value.isNull ? nil : (value.double(name, range: 0...24, &d) ?? r.maxTimezoneGapHours)
            case "shared_language": r.sharedLanguage = value.bool(name, &d) ?? r.sharedLanguage
            case "level_gap":
                guard let sub = value.mapping(name, &d) else { continue }
                for (k, l, val) in sub {
                    switch k {
                    case "min": r.levelGap.min = val.int("\(name).min", range: -14...14, &d) ?? r.levelGap.min
                    case "max": r.levelGap.max = val.int("\(name).max", range: -14...14, &d) ?? r.levelGap.max
                    case "ideal": r.levelGap.ideal = val.int("\(name).ideal", range: -14...14, &d) ?? r.levelGap.ideal
                    default: unknown(k, l, in: name, ["min", "max", "ideal"], &d)
                    }
                }
                if r.levelGap.min > r.levelGap.max {
                    d.error(value.location, "\(name): min (\(r.levelGap.min)) is above max (\(r.levelGap.max)); no pair could be eligible")
                }
            case "default_capacity": r.defaultCapacity = value.int(name, range: 0...1_000, &d) ?? r.defaultCapacity
            case "capacity_by_level":
                if value.isNull {
                    r.capacityByLevel = [:]
                    continue
                }
                guard let sub = value.mapping(name, &d) else { continue }
                var map: [Int: Int] = [:]
                for (k, l, val) in sub {
                    guard let level = Int(k), (1...15).contains(level) else {
                        d.error(l, "\(name): '\(k)' is not a level; expected a whole number from 1 to 15")
                        continue
                    }
                    if let c = val.int("\(name).\(k)", range: 0...1_000, &d) { map[level] = c }
                }
                r.capacityByLevel = map
            case "min_pair_points": r.minPairPoints = value.int(name, range: 0...1_000, &d) ?? r.minPairPoints
            case "stable": r.stable = value.bool(name, &d) ?? r.stable
            case "exclude_management_chain": r.excludeManagementChain = value.bool(name, &d) ?? r.excludeManagementChain
            case "no_repeat_pairs": r.noRepeatPairs = value.bool(name, &d) ?? r.noRepeatPairs
            case "mentor_eligibility":
                guard let sub = value.mapping(name, &d) else { continue }
                for (k, l, val) in sub {
                    switch k {
                    case "min_tenure_months": r.minTenureMonths = val.int("\(name).\(k)", range: 0...1_200, &d) ?? r.minTenureMonths
                    case "min_rating": r.minRating = val.double("\(name).\(k)", range: 0...5, &d) ?? r.minRating
                    default: unknown(k, l, in: name, ["min_tenure_months", "min_rating"], &d)
                    }
                }
            default: unknown(key, loc, in: "rules", Self.ruleKeys, &d)
            }
        }
        policy.rules = r
    }

    private mutating func readEquity(_ v: YAMLValue, _ d: inout Diagnostics) {
        if v.isNull {
            policy.equity = Equity()
            return
        }
        guard let entries = v.mapping("equity", &d) else { return }
        var e = policy.equity
        for (key, loc, value) in entries {
            let name = "equity.\(key)"
            if value.isNull {
                switch key {
                case "group_access": e.groupAccess = []
                case "department_access": e.departmentAccessTolerance = nil
                case "max_same_department_per_mentor": e.maxSameDepartmentPerMentor = nil
                case "location_reach": e.locationReach = nil
                case "level_access": e.levelAccess = nil
                default: unknown(key, loc, in: "equity", Self.equityKeys, &d)
                }
                continue
            }
            switch key {
            case "group_access": e.groupAccess = readGroupAccess(value, name, &d)
            case "department_access":
                guard let sub = value.mapping(name, &d) else { continue }
                var tolerance = 0.0
                for (k, l, val) in sub {
                    if k == "tolerance" {
                        tolerance = val.double("\(name).tolerance", range: 0...1, &d) ?? tolerance
                    } else {
                        unknown(k, l, in: name, ["tolerance"], &d)
                    }
                }
                e.departmentAccessTolerance = tolerance
            case "max_same_department_per_mentor":
                e.maxSameDepartmentPerMentor = value.int(name, range: 0...1_000, &d)
            case "location_reach": e.locationReach = readLocationReach(value, name, &d) ?? e.locationReach
            case "level_access": e.levelAccess = readLevelAccess(value, &d) ?? e.levelAccess
            default: unknown(key, loc, in: "equity", Self.equityKeys, &d)
            }
        }
        policy.equity = e
    }

    /// `equity.group_access`: one rule or a list of `{attribute, tolerance}` (none when too many).
    private func readGroupAccess(_ value: YAMLValue, _ name: String, _ d: inout Diagnostics) -> [Equity.GroupAccess] {
        let items: [YAMLValue]
        if case .mapping = value.node { items = [value] } else { items = value.sequence(name, &d) ?? [] }
        if items.count > Self.maximumGroupAccessRules {
            d.error(value.location, "\(name) lists \(items.count) rules; at most \(Self.maximumGroupAccessRules) are allowed")
            return []
        }
        var rules: [Equity.GroupAccess] = []
        for item in items {
            guard let sub = item.mapping("\(name) entry", &d) else { continue }
            var attribute: String?
            var tolerance = 0.0
            for (k, l, val) in sub {
                switch k {
                case "attribute": attribute = val.string("\(name).attribute", &d)
                case "tolerance": tolerance = val.double("\(name).tolerance", range: 0...1, &d) ?? tolerance
                default: unknown(k, l, in: name, ["attribute", "tolerance"], &d)
                }
            }
            if let a = attribute, !a.isEmpty {
                rules.append(.init(attribute: a, tolerance: tolerance))
            } else {
                d.error(item.location, "\(name): each entry needs 'attribute', e.g. {attribute: gender, tolerance: 0.05}")
            }
        }
        return rules
    }

    /// `equity.location_reach`: `{location, min_share_outside}`, both needed.
    private func readLocationReach(_ value: YAMLValue, _ name: String, _ d: inout Diagnostics) -> Equity.LocationReach? {
        guard let sub = value.mapping(name, &d) else { return nil }
        var location: String?
        var share: Double?
        for (k, l, val) in sub {
            switch k {
            case "location": location = val.string("\(name).location", &d)
            case "min_share_outside": share = val.double("\(name).min_share_outside", range: 0...1, &d)
            default: unknown(k, l, in: name, ["location", "min_share_outside"], &d)
            }
        }
        guard let location, let share else {
            d.error(value.location, "\(name) needs both 'location' and 'min_share_outside'")
            return nil
        }
        return .init(location: location, minShareOutside: share)
    }

    private mutating func readSolver(_ v: YAMLValue, _ d: inout Diagnostics) {
        guard !v.isNull, let entries = v.mapping("solver", &d) else { return }
        for (key, loc, value) in entries {
            switch key {
            case "time_limit_seconds":
                if let t = value.double("solver.time_limit_seconds", range: 0.001...604_800, &d) { policy.solver.timeLimitSeconds = t }
            case "mip_gap":
                if let g = value.double("solver.mip_gap", range: 0...1, &d) { policy.solver.mipGap = g }
            default: unknown(key, loc, in: "solver", ["time_limit_seconds", "mip_gap"], &d)
            }
        }
    }
}
