using System.Text;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Tests.Fhir;

/// <summary>An XML body ends in a typed 400 whatever it holds (issue 13 §3, now that XML is accepted: issue 14 §2).</summary>
public sealed class FhirXmlHostileInputTests
{
    [Fact]
    public void ToJson_ExtensionsNestedFiftyThousandDeep_IsBadRequestNotAStackOverflow()
    {
        const int depth = 50_000;
        var xml = new StringBuilder("<Procedure xmlns=\"http://hl7.org/fhir\">");
        for (var i = 0; i < depth; i++) xml.Append("<extension url=\"http://x.example/e\">");
        for (var i = 0; i < depth; i++) xml.Append("</extension>");
        xml.Append("<status value=\"completed\"/></Procedure>");

        var error = Assert.Throws<GatewayException>(() => FhirXml.ToJson(xml.ToString()));

        Assert.Equal(ErrorKind.BadRequest, error.Kind);
    }

    [Fact]
    public void ToJson_DocumentTypeDeclaration_IsBadRequest()
    {
        const string xml = "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY e \"x\">]><Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&e;\"/></Patient>";

        var error = Assert.Throws<GatewayException>(() => FhirXml.ToJson(xml));

        Assert.Equal(ErrorKind.BadRequest, error.Kind);
    }

    [Fact]
    public void ToJson_ShallowValidResource_BecomesJson()
    {
        var json = FhirXml.ToJson("<Patient xmlns=\"http://hl7.org/fhir\"><extension url=\"http://x.example/a\"><extension url=\"b\"><valueString value=\"v\"/></extension></extension><active value=\"true\"/></Patient>");

        Assert.Contains("\"active\":true", json);
    }
}
