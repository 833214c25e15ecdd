import Foundation
import Testing

@testable import MatchModel

/// Numbers the engines sum must be bounded where the roster is read, with a located error.
@Suite struct InputLimitsTests {
    func roster(capacity: String, tenure: String = "24") -> String {
        """
        \(Fixture.header)
        M1,Ann,mentor,8,Eng,HQ,Europe/Berlin,en,,swift:4,,\(capacity),\(tenure),4,D,,normal,no
        E1,Bo,mentee,5,Ops,HQ,Europe/Berlin,en,M1,,swift:2,,3,,I,,normal,no
        """
    }

    @Test(arguments: ["2147483647", "9223372036854775807", "1001", "-1", "1e9"])
    func capacityOutOfRangeIsALocatedError(_ value: String) throws {
        let (p, diags) = Fixture(["program.yaml": Fixture.program(), "roster.csv": roster(capacity: value)]).load()
        #expect(p == nil)
        let e = try #require(diags.first { $0.severity == .error })
        #expect(e.location.line == 2 && e.location.column > 0, "\(e)")
        #expect(e.message.contains("from 0 to 1000"), "\(e.message)")
    }

    @Test func tenureOutOfRangeIsALocatedError() throws {
        let (p, diags) = Fixture(["program.yaml": Fixture.program(), "roster.csv": roster(capacity: "", tenure: "99999999999")]).load()
        #expect(p == nil)
        #expect(diags.contains { $0.severity == .error && $0.message.contains("tenure_months") && $0.location.line == 2 })
    }

    @Test func theLargestCapacityLoads() throws {
        let (p, _) = Fixture(["program.yaml": Fixture.program(), "roster.csv": roster(capacity: "1000")]).load()
        #expect(try #require(p).people[0].capacity == 1000)
    }

    /// A group of one is usually a typo: a warning (not an error) at the member's roster line.
    @Test func smallEquityGroupsAreWarnedAbout() throws {
        let yaml = Fixture.program("equity:\n  group_access: [{attribute: urg, tolerance: 0.0}]\n")
        var lines = [Fixture.header]
        for i in 1...6 { lines.append("E\(i),P\(i),mentee,3,Ops,HQ,UTC,en,,,swift:2,,1,,,urg=\(i == 4 ? "yse" : "yes"),normal,no") }
        lines.append("M1,Ann,mentor,8,Eng,HQ,UTC,en,,swift:4,,,24,4,D,,normal,no")
        let (p, diags) = Fixture(["program.yaml": yaml, "roster.csv": lines.joined(separator: "\n")]).load()
        #expect(p != nil)
        let small = diags.filter { $0.severity == .warning && $0.message.contains("'yse'") }
        #expect(small.count == 1 && small[0].location.line == 5, "\(diags)")
        #expect(!diags.contains { $0.message.contains("'yes'") }, "a group of five is not reported")
    }
}
