namespace Containode.Cgroups;

/// <summary>The v1 net_cls controller: the class id the container's packets carry for tc and iptables to match.</summary>
internal sealed class V1NetCls(string directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        if (settings.Resources.NetClassId is { } id) CgroupFile.Write(directory, "net_cls.classid", id);
    }
}
