import Foundation
import MatchModel
import ProgramGenerator
import TestSupport
import Testing

@testable import MentorMatch

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects elements of an XHTML document.
final class Elements: NSObject, XMLParserDelegate {
    var svgs: [String: Int] = [:]  // chart id → bars
    var barValues: [String: [Double]] = [:]
    var text = ""
    private var currentSVG: String?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:])
    {
        if name == "svg", let id = attributes["id"] {
            currentSVG = id
            svgs[id] = 0
        }
        if name == "g", attributes["class"] == "bar", let s = currentSVG {
            svgs[s, default: 0] += 1
            barValues[s, default: []].append(Double(attributes["data-value"] ?? "") ?? .nan)
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "svg" { currentSVG = nil }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

@Suite(.serialized) struct ReportTests {
    func parse(_ html: String) throws -> Elements {
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
        let parser = XMLParser(data: Data(body.utf8))
        let e = Elements()
        parser.delegate = e
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        return e
    }

    func sample() throws -> (ReportSource.Loaded, Program) {
        let loaded = try ReportSource(programPath: CLI.sample, fresh: true).load()
        return (loaded, loaded.program)
    }

    @Test func theReportIsWellFormedAndHasEveryChartWithItsData() throws {
        let (loaded, program) = try sample()
        let what = try WhatIfFile(path: CLI.sampleCopy() + "/whatif.yaml")
        var report = CohortReport(proposal: loaded.proposal, program: program)
        report.comparison = try Compare().run(basePath: what.basePath, variants: Array(what.variants.prefix(2)))
        let e = try parse(report.html())
        for id in CohortReport.chartIDs + ["variants"] { #expect((e.svgs[id] ?? 0) > 0, "chart \(id)") }
        let pairs = Double(loaded.proposal.pairs.count)
        #expect(e.barValues["points-distribution"]?.reduce(0, +) == pairs)
        #expect(e.barValues["timezone-overlap"]?.reduce(0, +) == pairs)
        #expect(e.barValues["mentor-load"]?.reduce(0, +) == Double(loaded.proposal.metrics.mentors))
        #expect(e.barValues["variants"]?.count == 3)
        let mix = e.barValues["factor-mix"] ?? []
        #expect(abs(mix.reduce(0, +) - loaded.proposal.metrics.meanPoints) < 6, "factor mix adds up to the mean fit (± rounding)")
        #expect(e.text.contains("Proven optimal"))
    }

    @Test func equityAppearsOnlyInAggregateAndSmallGroupsAreNotShown() throws {
        let (loaded, program) = try sample()
        let html = CohortReport(proposal: loaded.proposal, program: program).html()
        let e = try parse(html)
        // gender=x has fewer than 5 mentees in the sample: it must not appear on its own.
        let xCount = loaded.proposal.metrics.groupRates["gender"]?["x"]?.mentees ?? 0
        try #require(xCount > 0 && xCount < 5)
        #expect(!html.contains("gender: x"))
        // No person's attribute values: the raw roster form never appears, and no per-person row has them.
        #expect(!html.contains("gender="))
        #expect(!html.contains("urg="))
        for person in program.people.prefix(40) where !person.attributes.isEmpty {
            for (k, v) in person.attributes { #expect(!html.contains("\(person.id)</td><td>\(v)"), "\(k)") }
        }
        #expect((e.barValues["equity-rates"] ?? []).allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func pseudonymsHideEveryNameAndIdAndAreStable() throws {
        let (loaded, program) = try sample()
        var report = CohortReport(proposal: loaded.proposal, program: program)
        report.pseudonyms = Pseudonyms(key: "k1")
        let a = report.html()
        for p in program.people {
            #expect(!a.contains(">\(p.id)<") && !a.contains("(\(p.id))"), "\(p.id)")
            if !p.name.isEmpty { #expect(!a.contains(p.name), "\(p.name)") }
        }
        report.generated = Date(timeIntervalSince1970: 0)
        var again = CohortReport(proposal: loaded.proposal, program: program)
        again.pseudonyms = Pseudonyms(key: "k1")
        again.generated = Date(timeIntervalSince1970: 0)
        #expect(report.html() == again.html())
        var other = Pseudonyms(key: "k2"), first = Pseudonyms(key: "k1")
        #expect(other.name(for: "P00001") != first.name(for: "P00001"))
    }

    @Test func pseudonymsAlsoCoverIdsInConflictsAndReasons() throws {
        let people = [
            Person(id: "MENTOR-A", name: "Ana", role: .mentor, level: 6, department: "X"),
            Person(id: "MENTEE-B", name: "Bo", role: .mentee, level: 4, department: "Y"),
            Person(id: "MENTEE-C", name: "Cy", role: .mentee, level: 4, department: "Y")
        ]
        var policy = Policy()
        policy.rules.defaultCapacity = 1
        let program = Program(name: "Tiny", policy: policy, people: people)
        var propose = Propose()
        propose.decisions = ReviewDecisions(locked: [
            PairKey(mentorID: "MENTOR-A", menteeID: "MENTEE-B"),
            PairKey(mentorID: "MENTOR-A", menteeID: "MENTEE-C")
        ])
        let proposal = try propose.run(program: program).proposal
        #expect(proposal.status == .infeasible)
        #expect(proposal.conflicts.joined().contains("MENTOR-A"))
        var report = CohortReport(proposal: proposal, program: program)
        report.pseudonyms = Pseudonyms(key: "k")
        let html = report.html()
        for id in ["MENTOR-A", "MENTEE-B", "MENTEE-C", "Ana"] { #expect(!html.contains(id), "\(id)") }
        _ = try parse(html)
    }

    @Test func exportsHaveTheColumnsAnHRISExpects() throws {
        let (loaded, _) = try sample()
        let rows = CohortExport.rows(loaded, pseudonyms: nil)
        #expect(rows.count == loaded.proposal.pairs.count)
        #expect(rows.allSatisfy { $0[4] == "2027-H1" && $0[5] == "2027-01-15" && $0[6] == "2027-07-15" })
        let csv = CohortExport.render(rows, as: .csv)
        #expect(csv.hasPrefix("mentor_id,mentor_name,mentee_id,mentee_name,cohort,start,end,points\n"))
        let json = try JSONSerialization.jsonObject(with: Data(CohortExport.render(rows, as: .json).utf8)) as? [[String: String]]
        #expect(json?.count == rows.count && json?.first?["end"] == "2027-07-15")
        let risky = CohortExport.render([["=HYPERLINK(\"x\")", "+1", "-2", "@a", "c", "s", "e", "1"]], as: .xlsxCSV)
        #expect(risky.hasPrefix("\u{FEFF}\"mentor_id\""))
        #expect(risky.contains("\"'=HYPERLINK(\"\"x\"\")\",\"'+1\",\"'-2\",\"'@a\""))
        #expect(risky.contains("\r\n"))
    }

    @Test func reportAndExportFromTheCommandLine() throws {
        let dir = TemporaryDirectory()
        try RosterGenerator(mentees: 40, mentors: 15, seed: 8, equity: true).write(to: dir.path)
        let r = try CLI.run(["report", dir.file("program.yaml"), "--out", dir.file("r.html"), "--pseudonymize"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: dir.file("r.html"), encoding: .utf8)
        #expect(html.contains("Person-") && !html.contains("P00001"))
        let x = try CLI.run(["export", dir.file("program.yaml"), "--format", "json"])
        #expect(x.status == 0)
        #expect(x.stdout.contains("\"mentee_id\""))
        let missing = try CLI.run(["report", dir.file("program.yaml"), "99", "--out", dir.file("x.html")])
        #expect(missing.status == 1 && missing.stderr.contains("no proposal 99"))
    }
}
