using System.Globalization;
using System.Text.RegularExpressions;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.Contract;
using TokenFunction.Tests.Http;
using TokenFunction.Tests.Infra;
using TokenFunction.Tests.Rooms;

namespace TokenFunction.Tests;

/// <summary>docs/security.md states the size of each generated corpus, class by class: each statement is checked against the corpus itself.</summary>
public sealed class SecurityDocumentationTests
{
    private static readonly string Security = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "docs", "security.md"));

    public static TheoryData<string, int> Statements
    {
        get
        {
            var tokens = CallerTokenCorpus.All;
            var answers = VideoSdkAnswerCorpus.All;
            var data = new TheoryData<string, int>
            {
                { "The caller-token corpus holds **{0}** tokens", tokens.Count },
                { "**{0}** exact ones", tokens.Count(t => t.Class == CallerTokenCorpus.Accepted) },
                { "**{0}** with other than three segments", tokens.Count(t => t.Class == CallerTokenCorpus.SegmentCount) },
                { "**{0}** whose base64url is not canonical", tokens.Count(t => t.Class == CallerTokenCorpus.Base64Url) },
                { "**{0}** whose header or payload is not exactly one JSON object", tokens.Count(t => t.Class == CallerTokenCorpus.JsonShape) },
                { "**{0}** holding a string that is not strict UTF-8 or well-formed Unicode", tokens.Count(t => t.Class == CallerTokenCorpus.Unicode) },
                { "The VideoSDK answer corpus holds **{0}** answers", answers.Count },
                { "**{0}** with a room id, custom room id or `disabled` outside the rules", answers.Count(a => a.Class == VideoSdkAnswerCorpus.FieldRule) },
                { "**{0}** that are not one JSON object of well-formed UTF-8", answers.Count(a => a.Class == VideoSdkAnswerCorpus.Body) },
                { "**{0}** naming another room", answers.Count(a => a.Class == VideoSdkAnswerCorpus.AnotherRoom) },
                { "**{0}** redirects", answers.Count(a => a.Class == VideoSdkAnswerCorpus.Redirect) },
                { "**{0}** generated cases of the four token fields", QueryBodyAgreementTests.Cases.Count },
                { "**{0}** generated requests", ContractRequestCorpus.All.Count },
            };
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Each_corpus_count_the_page_states_is_the_corpus_s_own(string statement, int count)
    {
        var pattern = Regex.Escape(statement).Replace(Regex.Escape("{0}"), @"(\d+)", StringComparison.Ordinal);
        var stated = Regex.Match(Security, pattern.Replace(@"\ ", @"\s+", StringComparison.Ordinal));

        Assert.True(stated.Success, $"docs/security.md no longer says \"{statement}\"");
        Assert.Equal(count, int.Parse(stated.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The classes the page counts add up to each corpus: no class is left out of the statements.</summary>
    [Fact]
    public void The_classes_counted_cover_each_corpus()
    {
        Assert.Equal(CallerTokenCorpus.Classes.Order(), CallerTokenCorpus.All.Select(t => t.Class).Distinct().Order());
        Assert.Equal(VideoSdkAnswerCorpus.Classes.Order(), VideoSdkAnswerCorpus.All.Select(a => a.Class).Distinct().Order());
    }
}
