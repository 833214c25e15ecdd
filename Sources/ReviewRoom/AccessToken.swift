import Foundation

/// The review room's secret, as notebook servers have: a random token carried by the one URL
/// `serve` prints. A browser that opened that URL keeps it in a cookie the browser sends to this
/// origin only (`SameSite=Strict`, `HttpOnly`); every state-changing request must also carry it
/// in its form, which a page on another site cannot read — so no cross-site request can act.
public struct AccessToken: Sendable, Equatable {
    public let value: String

    /// 32 random bytes from the system's generator, as 64 hex digits.
    public static func random() -> AccessToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return AccessToken(value: bytes.map { String(format: "%02x", $0) }.joined())
    }

    public init(value: String) { self.value = value }

    /// Compares in time independent of where the strings first differ.
    public func matches(_ candidate: String?) -> Bool {
        guard let candidate else { return false }
        let a = Array(value.utf8), b = Array(candidate.utf8)
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static let cookieName = "mentormatch_token"
}
