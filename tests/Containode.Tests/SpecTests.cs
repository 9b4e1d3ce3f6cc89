using Containode.Cli;
using Xunit;

namespace Containode.Tests;

/// <summary>The spec's parsing, from command lines and config files: the happy cases and the hostile ones.</summary>
public sealed class SpecTests
{
    private static ContainerSpec Original(params string[] args)
    {
        var parsed = ArgParser.Parse(args, 0, SpecForms.Original, stopAtOperand: true);
        var spec = SpecForms.Spec(parsed);
        spec.Command.AddRange(parsed.Operands);
        return spec;
    }

    private static ArgParser.Result RunForm(params string[] args) => ArgParser.Parse(args, 0, SpecForms.Run, stopAtOperand: true);

    [Fact]
    public void The_original_form_keeps_its_letters_and_stops_at_the_command()
    {
        var s = Original("-r", "/r", "-t", "/top", "-i", "box", "-p", "/ctl.sock", "-s", "/sw", "-NI", "/bin/sh", "-c", "-t x");
        Assert.Equal("/r", s.Root);
        Assert.Equal("/top", s.Top);
        Assert.Equal("box", s.Name);
        Assert.Equal("/ctl.sock", s.CtrlSocketPath);
        Assert.True(s.ShareNetwork && s.ShareIpc);
        Assert.Equal(["/bin/sh", "-c", "-t x"], s.Command);
        Assert.Equal(["ps"], Original("--", "ps").Command);
    }

    [Fact]
    public void Run_speaks_dockers_letters_long_options_with_equals_and_bundles()
    {
        var parsed = RunForm("-dit", "--name=web", "-eA=1", "-e", "B=2", "-u", "1000:100", "--restart=on-failure:3", "alpine", "sh", "-c", "ls -l");
        var s = SpecForms.Spec(parsed);
        Assert.True(parsed.Has(SpecForms.Detach));
        Assert.True(s.Tty && s.Interactive);
        Assert.Equal("web", s.Name);
        Assert.Equal(["A=1", "B=2"], s.Environment);
        Assert.Equal("1000:100", s.User);
        Assert.Equal(new RestartPolicy(RestartPolicy.Kind.OnFailure, 3), s.Restart);
        Assert.Equal(["alpine", "sh", "-c", "ls -l"], parsed.Operands);
    }

    [Theory]
    [InlineData("--no-such")]
    [InlineData("-Z")]
    [InlineData("--share-net=yes")]
    [InlineData("--mtu=12")]
    [InlineData("--mtu=65535")]
    [InlineData("--restart=sometimes")]
    [InlineData("-u", "root")]
    [InlineData("-p", "80")]
    public void Bad_options_are_usage_errors(params string[] args) =>
        Assert.Throws<UsageException>(() => SpecForms.Spec(RunForm([.. args, "img"])));

    [Theory]
    [InlineData(80, "it is 80 characters long, and at most 64 fit")]
    [InlineData(65, "it is 65 characters long, and at most 64 fit")]
    public void A_long_name_is_blamed_on_its_length(int length, string says)
    {
        var spec = Original("-i", new string('a', length), "/bin/true");
        Assert.Contains(says, Assert.Throws<UsageException>(() => SpecValidator.Check(spec)).Message);
    }

    [Theory]
    [InlineData("a b", "use only letters")]
    [InlineData("-a", "start with a letter or digit")]
    [InlineData("", "cannot be empty")]
    public void A_bad_name_says_what_is_wrong(string name, string says) => Assert.Contains(says, Identity.Problem(name));

    [Fact]
    public void A_64_character_name_is_fine() => Assert.Null(Identity.Problem(new string('a', 64)));

    [Fact]
    public void A_config_file_takes_minimal_containers_keys_and_a_key_for_every_run_option()
    {
        var s = ConfigFile.Parse("/etc/x.conf", """
            # a comment
            root=/srv/root

            init=/bin/sh
            arg=-c
            arg=echo # not a comment
            namespaces=uphi
            mount=/opt:/opt
            mount_ro=/etc:/host-etc
            env=A=1
            workdir=/tmp
            user=7:8
            tty=true
            restart=always
            switch=/run/sw.sock
            ip=10.0.0.2/24

            """.Replace("uphi", "phi"));
        Assert.Equal("/srv/root", s.Root);
        Assert.Equal(["/bin/sh", "-c", "echo # not a comment"], s.Command);
        Assert.False(s.ShareIpc);
        Assert.Equal([new Volume("/opt", "/opt", false, Optional: true), new Volume("/etc", "/host-etc", true)], s.Volumes);
        Assert.Equal(RestartPolicy.Parse("always"), s.Restart);
        Assert.True(s.Tty);
        Assert.Equal("10.0.0.2", s.Address!.Value.Address.ToString());
    }

    [Fact]
    public void A_saved_spec_reads_back_the_same()
    {
        var s = Original("-r", "/r", "-i", "n", "-e", "A=1", "-v", "/a:/b:ro", "--mac", "02:00:00:00:00:01", "--mtu", "1400", "-s", "/sw", "-4", "10.1.2.3/16",
            "--cap-add", "NET_ADMIN", "--init", "--restart", "on-failure:2", "/bin/sh", "-c", "echo a=b");
        var text = string.Join('\n', SpecOptions.Lines(s));
        var back = ConfigFile.Parse("saved", text);
        Assert.Equal(text, string.Join('\n', SpecOptions.Lines(back)));
        Assert.Equal(s.Command, back.Command);
    }

    [Theory]
    [InlineData("root=/r\r\n", "f.conf:1", "CRLF")]
    [InlineData("root=/r\nbogus=1\n", "f.conf:2", "unknown key 'bogus'")]
    [InlineData("root=/r\nmtu=1\n", "f.conf:2", "mtu")]
    [InlineData("  root=/r\n", "f.conf:1", "unknown key")]
    [InlineData("just words\n", "f.conf:1", "KEY=VALUE")]
    [InlineData("namespaces=phiz\n", "f.conf:1", "namespaces")]
    [InlineData("init=@relative\n", "f.conf:1", "init")]
    public void Config_errors_name_the_file_the_line_and_the_key(string text, string where, string what)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigFile.Parse("f.conf", text));
        Assert.StartsWith(where + ":", e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void Minimal_containers_resource_keys_and_namespace_letters_set_the_limits_and_namespaces()
    {
        var s = ConfigFile.Parse("f.conf", "max_physical_memory=64m\nmax_memory=128m\ncpu_share=512\nnet_classid=0x10001\nnamespaces=uphi\n");
        Assert.Equal(64L << 20, s.Resources.Memory);
        Assert.Equal(128L << 20, s.Resources.MemorySwap);
        Assert.Equal(512, s.Resources.CpuShares);
        Assert.True(s.Namespaces.PrivateUsers);
        Assert.False(s.Namespaces.Time);
        var t = ConfigFile.Parse("f.conf", "namespaces=pt\n");
        Assert.True(t.Namespaces.Time && t.ShareIpc && t.Namespaces.Host.HasFlag(Containet.Native.Namespaces.Uts));
        var text = string.Join('\n', SpecOptions.Lines(s));
        Assert.Equal(text, string.Join('\n', SpecOptions.Lines(ConfigFile.Parse("saved", text))));
    }

    [Fact]
    public void Saved_and_read_back_a_setting_that_overrides_an_earlier_one_still_does()
    {
        // namespaces= says pid private, --pid host after it (with no user namespace) says host; io_bw_limit sets a
        // device's reading and writing, device_write_bps after it the writing alone.
        var (node, major, minor) = BlockDevices.DiskOf(Path.GetTempPath());
        var s = ConfigFile.Parse("f.conf", $"namespaces=ph\npid=host\nio_bw_limit={major}:{minor} 1048576\ndevice_write_bps={node}:2mb\n");

        var back = ConfigFile.Parse("saved", string.Join('\n', SpecOptions.Lines(s)));

        foreach (var spec in (ContainerSpec[])[s, back])
        {
            Assert.True(spec.Namespaces.Host.HasFlag(Containet.Native.Namespaces.Pid));
            Assert.Equal(2UL << 20, spec.Resources.DeviceWriteBps.Single().Rate);
            Assert.Equal(1UL << 20, spec.Resources.DeviceReadBps.Single().Rate);
        }
    }

    [Theory]
    [InlineData("max_physical_memory=lots", "max_physical_memory")]
    [InlineData("cpu_share=1", "cpu_share")]
    [InlineData("iops_limit=8:0", "iops_limit")]
    [InlineData("memory=-5", "memory")]
    public void Bad_resource_values_name_the_file_the_line_and_the_key(string line, string key)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigFile.Parse("f.conf", "root=/r\n" + line + "\n"));
        Assert.StartsWith($"f.conf:2: {key}: ", e.Message);
    }

    [Theory]
    [InlineData("no", 1, 0, false)]
    [InlineData("always", 0, 50, true)]
    [InlineData("on-failure", 1, 50, true)]
    [InlineData("on-failure", 0, 0, false)]
    [InlineData("on-failure:3", 1, 2, true)]
    [InlineData("on-failure:3", 1, 3, false)]
    public void Restart_policies_decide_as_dockers_do(string policy, int status, int restarts, bool again) =>
        Assert.Equal(again, RestartPolicy.Parse(policy).Restarts(status, restarts));

    [Fact]
    public void Restart_delays_double_up_to_a_minute()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), RestartPolicy.Delay(0));
        Assert.Equal(TimeSpan.FromMilliseconds(800), RestartPolicy.Delay(3));
        Assert.Equal(TimeSpan.FromMinutes(1), RestartPolicy.Delay(500));
        Assert.Throws<UsageException>(() => RestartPolicy.Parse("on-failure:0"));
        Assert.Throws<UsageException>(() => RestartPolicy.Parse("on-failure:-1"));
    }

    [Fact]
    public void Every_verb_has_help_and_completion_knows_every_verb()
    {
        foreach (var verb in Verbs.All) Assert.Contains("Usage: containode " + verb.Usage, HelpText.Render(verb));
        Assert.All(SpecForms.Run, o => Assert.Contains(o.Long, HelpText.Render(Verbs.Find("run")!)));
    }
}
