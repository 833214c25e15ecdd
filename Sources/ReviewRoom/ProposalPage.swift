import Foundation
import MatchModel
import MatchSolver
import MatchStore
import MentorMatch

extension ReviewRoom {
    /// One pair as the page lists it.
    struct PairRow {
        var pair: StoredProposal.Pair
        var mentee: String, mentor: String
        var department: String, location: String
        var decision: String?
        /// The pair's tier, when the program has tiers (from today's roster: stored pairs keep no tier).
        var tier: String?
    }

    /// A proposal: the headline, the pairs (searched, filtered, sorted, a page at a time) with the
    /// decision on each and the actions, the unmatched grouped by reason, and each equity rule's outcome.
    func proposalPage(_ id: Int64, filter: PairFilter, notice: String?) throws -> String {
        let instance = programs.instance(at: programPath)
        let shown = try ReviewShow(review).load(proposalID: id, program: instance?.program)
        let p = shown.proposal
        func person(_ id: String) -> Person? { instance.flatMap { i in i.indexOfID[id].map { i.people[$0] } } }
        var body = "<h1>Proposal \(p.id) <small>cycle \(HTML.escape(p.cohort.isEmpty ? "(unnamed)" : p.cohort))</small></h1>"
        if let notice { body += "<p class=\"notice\">\(HTML.escape(notice))</p>" }
        if shown.inputsChanged {
            body += "<p class=\"notice\">The roster or its side files changed since this proposal was made; propose again to see their effect.</p>"
        }
        body += headline(p, mentees: instance?.mentees.count)
        body += "<p><a href=\"/proposals/\(p.id)/report\">report for the steering committee</a> · exports: "
        body += ["csv", "xlsx-csv", "json"].map { "<a href=\"/proposals/\(p.id)/export/\($0)\">\($0)</a>" }.joined(separator: ", ")
        body += " · <a href=\"/compare\">compare what-if variants</a></p>"
        let tierOf = instance.flatMap(Self.tiers)
        let rows = p.pairs.map { pair in
            PairRow(
                pair: pair, mentee: shown.who(pair.menteeID), mentor: shown.who(pair.mentorID),
                department: person(pair.menteeID)?.department ?? "", location: person(pair.menteeID)?.location ?? "",
                decision: shown.binding.label(pair.key) ?? pair.decision, tier: tierOf?(pair.mentorID, pair.menteeID))
        }
        body += pairsSection(rows, proposalID: id, filter: filter)
        body += unmatchedSection(p, shown: shown)
        if let instance { body += equitySection(p, instance: instance) }
        return HTML.page(title: "Proposal \(p.id)", program: programName, body: body)
    }

    /// With tiers, each pair's tier name by its level gap (nil without tiers).
    private static func tiers(_ instance: MatchInstance) -> (@Sendable (String, String) -> String?)? {
        guard instance.hasTiers else { return nil }
        return { mentor, mentee in
            guard let m = instance.indexOfID[mentor].flatMap({ instance.mentorSlot[$0] }),
                let e = instance.indexOfID[mentee].flatMap({ instance.menteeSlot[$0] }),
                let t = instance.tier(mentor: m, mentee: e)
            else { return nil }
            return instance.tiers[t].name ?? "tier \(t + 1)"
        }
    }

    private func headline(_ p: StoredProposal, mentees: Int?) -> String {
        func card(_ label: String, _ value: String) -> String {
            "<div class=\"card\"><div class=\"label\">\(HTML.escape(label))</div><div class=\"value\">\(HTML.escape(value))</div></div>"
        }
        var out = "<div class=\"cards\">"
        out += card("matched", mentees.map { "\(Numbers.grouped(p.matchedMentees)) of \(Numbers.grouped($0))" } ?? Numbers.grouped(p.matchedMentees))
        out += card("coverage", Numbers.grouped(p.coverage))
        out += card("fit", "\(Numbers.grouped(p.totalPoints)) points")
        out += card("weakest pair", "\(p.minPoints) points")
        out += card("pairs", Numbers.grouped(p.pairs.count))
        out += "</div>"
        let sentence: String
        switch p.status {
        case "optimal":
            sentence =
                "Proven optimal (\(p.engine) engine): no cohort that keeps every rule matches more mentees, and none with as many has more fit."
        case "feasible": sentence = "Every rule is kept, but the cohort is not proven the best."
        case "time_limit": sentence = "Stopped at the time limit: the best cohort found, not proven the best."
        default: sentence = "No cohort keeps every rule."
        }
        out += "<p class=\"proof\">\(HTML.escape(sentence)) Made by \(HTML.escape(p.createdBy)) on \(HTML.escape(p.createdAt)).</p>"
        return out
    }

    private func pairsSection(_ all: [PairRow], proposalID id: Int64, filter f: PairFilter) -> String {
        let needle = f.search?.lowercased()
        var rows = all.filter { r in
            if let n = needle, !r.mentee.lowercased().contains(n) && !r.mentor.lowercased().contains(n) { return false }
            if let d = f.department, r.department != d { return false }
            if let l = f.location, r.location != l { return false }
            if let d = f.decision, (r.decision ?? "none") != d { return false }
            if let m = f.minPoints, r.pair.points < m { return false }
            if let m = f.maxPoints, r.pair.points > m { return false }
            if let t = f.tier, r.tier != t { return false }
            return true
        }
        switch f.order {
        case .pointsDown: rows.sort { ($0.pair.points, $1.mentee) > ($1.pair.points, $0.mentee) }
        case .pointsUp: rows.sort { ($0.pair.points, $0.mentee) < ($1.pair.points, $1.mentee) }
        case .mentee: rows.sort { $0.mentee < $1.mentee }
        case .mentor: rows.sort { ($0.mentor, $0.mentee) < ($1.mentor, $1.mentee) }
        }
        let pages = max(1, (rows.count + pageSize - 1) / pageSize)
        let page = min(f.page, pages)
        let shown = rows.dropFirst((page - 1) * pageSize).prefix(pageSize)
        var out = "<h2>Pairs (\(Numbers.grouped(rows.count))\(rows.count == all.count ? "" : " of \(Numbers.grouped(all.count))"))</h2>"
        out += filterForm(all, filter: f, proposalID: id)
        func option(_ value: String, _ current: String?) -> String {
            "<option\(value == current ? " selected" : "")>\(HTML.escape(value))</option>"
        }
        var table =
            "<table id=\"pairs\"><thead><tr><th><input type=\"checkbox\" id=\"select-all\" aria-label=\"select every pair on this page\"></th>"
        let hasTiers = all.contains { $0.tier != nil }
        table += "<th>mentee</th><th>mentor</th><th class=\"num\">points</th><th>factors</th><th>department</th><th>location</th>"
        table += (hasTiers ? "<th>tier</th>" : "") + "<th>decision</th></tr></thead><tbody>"
        for r in shown {
            let key = "\(r.pair.mentorID):\(r.pair.menteeID)"
            table +=
                "<tr><td><input type=\"checkbox\" class=\"pick\" name=\"pair\" value=\"\(HTML.escape(key))\" aria-label=\"select \(HTML.escape(key))\"></td>"
            table +=
                "<td><a href=\"/proposals/\(id)/mentees/\(HTML.query(r.pair.menteeID))\">\(HTML.escape(r.mentee))</a></td><td>\(HTML.escape(r.mentor))</td>"
            table += "<td class=\"num\">\(r.pair.points)</td><td>\(HTML.escape(ReviewShow.factors(r.pair.factorsJSON)))</td>"
            table += "<td>\(HTML.escape(r.department))</td><td>\(HTML.escape(r.location))</td>"
            if hasTiers { table += "<td>\(HTML.escape(r.tier ?? ""))</td>" }
            table += "<td>\(r.decision.map { "<span class=\"decision \(HTML.escape($0))\">\(HTML.escape($0))</span>" } ?? "")</td></tr>"
        }
        table += "</tbody></table>"
        let back = "/proposals/\(id)" + (f.query(page: page).isEmpty ? "" : "?" + f.query(page: page))
        let actions =
            "<div class=\"act\"><label>decision <select name=\"action\">"
            + ["accept", "reject", "lock", "unlock"].map { option($0, nil) }.joined()
            + "</select></label><label>why <input name=\"reason\" required maxlength=\"500\" placeholder=\"recorded in the audit trail\"></label>"
            + HTML.reviewerField(Review.currentUser)
            + "<input type=\"hidden\" name=\"back\" value=\"\(HTML.escape(back))\"><button type=\"submit\">Record for the selected pairs</button></div>"
        out += HTML.form(action: "/decisions", token: token, attributes: "id=\"decide\"", actions + table)
        if pages > 1 {
            out += "<p class=\"pager\">page \(page) of \(pages): "
            if page > 1 { out += "<a href=\"/proposals/\(id)?\(f.query(page: page - 1))\">previous</a>" }
            if page < pages { out += "<a href=\"/proposals/\(id)?\(f.query(page: page + 1))\">next</a>" }
            out += "</p>"
        }
        return out
    }

    private func filterForm(_ all: [PairRow], filter f: PairFilter, proposalID id: Int64) -> String {
        func select(_ name: String, _ label: String, _ values: [String], _ current: String?) -> String {
            "<label>\(label) <select name=\"\(name)\"><option value=\"\">any</option>"
                + values.map { "<option\($0 == current ? " selected" : "")>\(HTML.escape($0))</option>" }.joined() + "</select></label>"
        }
        var out = "<form method=\"get\" action=\"/proposals/\(id)\" class=\"filters\" role=\"search\">"
        out += "<label>search <input type=\"search\" name=\"q\" value=\"\(HTML.escape(f.search ?? ""))\" placeholder=\"name or id\"></label>"
        out += select("department", "mentee department", Set(all.map(\.department)).filter { !$0.isEmpty }.sorted(), f.department)
        out += select("location", "mentee location", Set(all.map(\.location)).filter { !$0.isEmpty }.sorted(), f.location)
        out += select("decision", "decision", ["accepted", "locked", "rejected", "none"], f.decision)
        let tiers = Set(all.compactMap(\.tier)).sorted()
        if !tiers.isEmpty { out += select("tier", "tier", tiers, f.tier) }
        out += "<label>points from <input type=\"number\" name=\"min\" min=\"0\" value=\"\(f.minPoints.map(String.init) ?? "")\"></label>"
        out += "<label>to <input type=\"number\" name=\"max\" min=\"0\" value=\"\(f.maxPoints.map(String.init) ?? "")\"></label>"
        out += "<label>order <select name=\"sort\">"
        let labels: [PairFilter.Order: String] = [
            .pointsDown: "most points first", .pointsUp: "fewest points first", .mentee: "mentee", .mentor: "mentor"
        ]
        for o in PairFilter.Order.allCases {
            out += "<option value=\"\(o.rawValue)\"\(o == f.order ? " selected" : "")>\(labels[o]!)</option>"
        }
        out += "</select></label><button type=\"submit\">Show</button> <a href=\"/proposals/\(id)\">clear</a></form>"
        return out
    }

    private func unmatchedSection(_ p: StoredProposal, shown: ReviewShow.Shown) -> String {
        guard !p.unmatched.isEmpty else { return "" }
        // Reasons differ by their numbers ("all 3 eligible mentors are full"): grouped without them.
        func kind(_ reason: String) -> String { reason.replacingOccurrences(of: "[0-9][0-9,.]*", with: "N", options: .regularExpression) }
        let byReason = Dictionary(grouping: p.unmatched, by: { kind($0.reasons.first ?? "no reason recorded") })
        var out =
            "<h2>Not matched (\(Numbers.grouped(p.unmatched.count)))</h2><table><thead><tr><th class=\"num\">mentees</th><th>reason</th><th>who</th></tr></thead><tbody>"
        for (_, list) in byReason.sorted(by: { ($0.value.count, $1.key) > ($1.value.count, $0.key) }) {
            let names = list.prefix(10).map {
                "<a href=\"/proposals/\(p.id)/mentees/\(HTML.query($0.menteeID))\">\(HTML.escape(shown.who($0.menteeID)))</a>"
            }
            let example = list[0].reasons.first ?? "no reason recorded"
            out += "<tr><td class=\"num\">\(Numbers.grouped(list.count))</td><td>\(HTML.escape(example))\(list.count > 1 ? " (or alike)" : "")</td>"
            out += "<td>\(names.joined(separator: ", "))\(list.count > 10 ? " and \(Numbers.grouped(list.count - 10)) more" : "")</td></tr>"
        }
        return out + "</tbody></table>"
    }

    /// Each equity rule of the program against this cohort: kept or broken (aggregates only).
    private func equitySection(_ p: StoredProposal, instance: MatchInstance) -> String {
        let equity = instance.policy.equity
        var rules: [(label: String, prefix: String)] = equity.groupAccess.map {
            ("equal access by \($0.attribute) (tolerance \($0.tolerance))", "group_access \($0.attribute)")
        }
        if let t = equity.departmentAccessTolerance { rules.append(("equal access by department (tolerance \(t))", "department_access")) }
        if let l = equity.levelAccess { rules.append(("equal access by level band (tolerance \(l.tolerance))", "level_access")) }
        if let cap = equity.maxSameDepartmentPerMentor { rules.append(("at most \(cap) mentees of one department per mentor", "a mentor has")) }
        if let r = equity.locationReach {
            rules.append(("mentors at \(r.location) reach outside it (at least \(r.minShareOutside))", "location_reach"))
        }
        guard !rules.isEmpty else { return "" }
        let slots = p.pairs.compactMap { pair -> (Int, Int)? in
            guard let m = instance.indexOfID[pair.mentorID].flatMap({ instance.mentorSlot[$0] }),
                let e = instance.indexOfID[pair.menteeID].flatMap({ instance.menteeSlot[$0] })
            else { return nil }
            return (m, e)
        }
        let broken = CohortCheck.violations(instance, pairs: slots)
        var out = "<h2>Equity rules</h2><table><thead><tr><th>rule</th><th>outcome</th><th>detail</th></tr></thead><tbody>"
        for rule in rules {
            let against = broken.filter { $0.hasPrefix(rule.prefix) }
            out +=
                "<tr><td>\(HTML.escape(rule.label))</td><td class=\"\(against.isEmpty ? "pass" : "fail")\">\(against.isEmpty ? "kept" : "broken")</td>"
            out += "<td>\(HTML.escape(against.prefix(3).joined(separator: "; ")))</td></tr>"
        }
        return out + "</tbody></table>"
    }
}
