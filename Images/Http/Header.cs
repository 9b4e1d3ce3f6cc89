namespace Mocker.Http;

/// <summary>One request header line.</summary>
internal readonly record struct Header(string Name, string Value);
