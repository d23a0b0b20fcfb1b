using Akka.Configuration;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Transport;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>The shipped HOCON gives the documented defaults, and overrides are validated.</summary>
public sealed class SettingsSpecs
{
    private static Config Shipped(HostOverrides? overrides = null) =>
        HoconLoader.Load(HoconLoader.DefaultDirectory, overrides?.ToConfig());

    [Fact]
    public void Shipped_defaults_match_Cloudflare_limits_and_the_documented_values()
    {
        var transport = TransportSettings.FromConfig(Shipped());
        var rooms = HibernationSettings.FromConfig(Shipped());

        Assert.Equal(["http://127.0.0.1:8080/", "http://localhost:8080/"], transport.Prefixes);
        Assert.Equal(32 * 1024 * 1024, transport.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), rooms.IdleTimeout);
        Assert.Equal(32_768, rooms.MaxConnectionsPerRoom);
        Assert.Equal(16 * 1024, rooms.MaxAttachmentBytes);
        Assert.Equal("data/journal.db", Shipped().GetString("akka-hibernation.journal.database-path"));
    }

    [Fact]
    public void Command_line_values_win_over_environment_values()
    {
        var environment = new Dictionary<string, string>
        {
            [HostOverrides.ListenVariable] = "http://127.0.0.1:9999/",
            [HostOverrides.IdleTimeoutVariable] = "2s",
            [HostOverrides.DatabaseVariable] = "/tmp/env.db",
        };
        var overrides = new HostOverrides("http://127.0.0.1:7000/,http://localhost:7000/", null, null, [])
            .WithEnvironment(name => environment.GetValueOrDefault(name));

        var config = Shipped(overrides);

        Assert.Equal(["http://127.0.0.1:7000/", "http://localhost:7000/"], TransportSettings.FromConfig(config).Prefixes);
        Assert.Equal(TimeSpan.FromSeconds(2), HibernationSettings.FromConfig(config).IdleTimeout);
        Assert.Equal("/tmp/env.db", config.GetString("akka-hibernation.journal.database-path"));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("0s")]
    public void An_invalid_idle_timeout_is_refused_with_a_clear_message(string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => new HostOverrides(null, null, value, []).ToConfig());
        Assert.Equal($"Idle timeout '{value}' is not a positive duration such as 10s or 500ms", error.Message);
    }

    [Fact]
    public void A_prefix_without_a_trailing_slash_is_refused()
    {
        var config = Shipped(new HostOverrides("http://127.0.0.1:8080", null, null, []));
        var error = Assert.Throws<ConfigurationException>(() => TransportSettings.FromConfig(config));
        Assert.Contains("trailing slash", error.Message);
    }

    [Fact]
    public void Trusted_proxies_are_none_by_default_and_an_invalid_entry_is_refused_naming_the_setting()
    {
        Assert.Empty(TransportSettings.FromConfig(Shipped()).TrustedProxies);
        var config = Shipped(new HostOverrides(null, null, null, ["akka-hibernation.transport.trusted-proxies = [\"10.0.0.0/8\", \"proxy.local\"]"]));

        var error = Assert.Throws<ConfigurationException>(() => TransportSettings.FromConfig(config));

        Assert.Equal("akka-hibernation.transport.trusted-proxies: 'proxy.local' is neither an IP address nor a CIDR range such as 10.0.0.0/8", error.Message);
    }

    [Fact]
    public void The_hosts_configuration_sets_any_key_over_the_files_and_under_the_command_line()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AkkaHibernation:rooms:idle-timeout"] = "3s",
            ["AkkaHibernation:rooms:snapshot-every"] = "7",
            ["AkkaHibernation:transport:trusted-proxies:0"] = "10.0.0.0/8",
            ["AkkaHibernation:transport:trusted-proxies:1"] = "127.0.0.1",
        }).Build();

        var config = HoconLoader.Load(HoconLoader.DefaultDirectory, new HostOverrides(null, null, "9s", []).ToConfig(), configuration);

        Assert.Equal((TimeSpan.FromSeconds(9), 7), (HibernationSettings.FromConfig(config).IdleTimeout, HibernationSettings.FromConfig(config).SnapshotEvery));
        Assert.Equal(["10.0.0.0/8", "127.0.0.1/32"], TransportSettings.FromConfig(config).TrustedProxies.Select(network => network.ToString()));
    }

    [Fact]
    public void A_configuration_key_that_is_no_HOCON_name_is_refused_with_its_path()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AkkaHibernation:rooms:idle timeout"] = "3s",
        }).Build();

        var error = Assert.Throws<ConfigurationException>(() => HoconLoader.Load(null, configuration: configuration));

        Assert.Equal("AkkaHibernation:rooms:idle timeout: 'idle timeout' is not a HOCON key name (letters, digits, '-' and '_')", error.Message);
    }
}
