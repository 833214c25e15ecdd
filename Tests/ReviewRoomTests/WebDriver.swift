import AsyncHTTPClient
import Foundation
import NIOCore

/// A small W3C WebDriver client for Debian's `chromedriver` and headless `chromium`: enough to
/// open pages, find elements, type, click and read the page, as a person in a browser would.
struct WebDriver {
    let base: URL
    let session: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The browser and driver a test can use, when installed (`.ci/run` installs them).
    static var installed: (browser: String, driver: String)? {
        let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let browser, let driver else { return nil }
        return (browser, driver)
    }

    /// Starts a headless browser session on a driver listening at `base`.
    static func start(driverAt base: URL, browser: String, profile: String) async throws -> WebDriver {
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": browser,
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                            "--user-data-dir=\(profile)", "--no-first-run", "--disable-extensions"
                        ]
                    ]
                ]
            ]
        ]
        let value = try await call(base.appendingPathComponent("session"), method: "POST", body: capabilities)
        guard let v = value as? [String: Any], let id = v["sessionId"] as? String else {
            throw Failure(description: "the driver started no session: \(String(describing: value))")
        }
        return WebDriver(base: base, session: id)
    }

    private static func call(_ url: URL, method: String, body: [String: Any]? = nil) async throws -> Any? {
        let data = try await fetch(url, method: method, json: body.map { try JSONSerialization.data(withJSONObject: $0) })
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        if let v = json?["value"] as? [String: Any], let error = v["error"] as? String {
            throw Failure(description: "\(error): \(v["message"] as? String ?? "")")
        }
        return json?["value"]
    }

    private func call(_ path: String, method: String = "POST", body: [String: Any]? = [:]) async throws -> Any? {
        try await Self.call(base.appendingPathComponent("session/\(session)/\(path)"), method: method, body: method == "GET" ? nil : body)
    }

    /// One HTTP request (Foundation's URLSession on Linux fails on some local responses: AsyncHTTPClient instead).
    static func fetch(_ url: URL, method: String = "GET", json: Data? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .init(rawValue: method)
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(90))
        let body = try await response.body.collect(upTo: 64 << 20)
        return Data(buffer: body)
    }

    func open(_ url: String) async throws { _ = try await call("url", body: ["url": url]) }

    func source() async throws -> String { try await call("source", method: "GET") as? String ?? "" }

    func currentURL() async throws -> String { try await call("url", method: "GET") as? String ?? "" }

    /// The first element matching a CSS selector.
    func element(_ css: String) async throws -> String {
        let value = try await call("element", body: ["using": "css selector", "value": css])
        guard let v = value as? [String: Any], let id = v.values.first as? String else { throw Failure(description: "no element '\(css)'") }
        return id
    }

    func type(_ text: String, into css: String) async throws {
        let id = try await element(css)
        _ = try await call("element/\(id)/clear")
        _ = try await call("element/\(id)/value", body: ["text": text])
    }

    func click(_ css: String) async throws {
        let id = try await element(css)
        _ = try await call("element/\(id)/click")
    }

    /// The page as a PNG.
    func screenshot() async throws -> Data {
        guard let text = try await call("screenshot", method: "GET") as? String, let data = Data(base64Encoded: text) else {
            throw Failure(description: "no screenshot")
        }
        return data
    }

    /// Waits until the page source contains `text` (reloads come by themselves: the job page refreshes).
    func waitFor(_ text: String, seconds: Double = 60) async throws -> String {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            let page = try await source()
            if page.contains(text) { return page }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure(description: "the page never showed '\(text)'")
    }

    func quit() async { _ = try? await Self.call(base.appendingPathComponent("session/\(session)"), method: "DELETE") }
}
