global using Containet.TestSupport;
global using Containode.Remote.Api;
global using Containode.Tests;
global using Grpc.Core;
global using Xunit;
