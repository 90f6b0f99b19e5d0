using System.Collections.Concurrent;
using TokenFunction.Tokens;
using TokenFunction.Tokens.Jwt;

namespace TokenFunction.Tests.Tokens;

public class RandomUuidGeneratorTests
{
    [Fact]
    public void Uuids_are_version_4_with_the_RFC_variant_and_unique_across_threads()
    {
        var all = new ConcurrentBag<Guid>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 5000; i++)
            {
                all.Add(RandomUuidGenerator.NewUuid());
            }
        });

        Assert.Equal(40_000, all.Distinct().Count());
        Assert.All(all, uuid =>
        {
            Assert.Equal(4, uuid.Version);
            Assert.Equal(0b10, uuid.Variant >> 2);
        });
    }
}
