namespace Containode.Remote.Tests;

/// <summary>The tests that start servers run one at a time, sharing one busybox root: their jobs' timings stay their own.</summary>
[CollectionDefinition(nameof(RemoteCollection))]
public sealed class RemoteCollection : ICollectionFixture<BusyboxRoot>;
