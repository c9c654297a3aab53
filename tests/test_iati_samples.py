# ruff: noqa: E501
"""IATI files the tests import, export and attack."""

SAMPLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2024-01-01T00:00:00Z">
  <iati-activity xml:lang="en" default-currency="EUR" last-updated-datetime="2024-01-01T00:00:00Z">
    <iati-identifier>XM-EXAMPLE-1-MOB-01</iati-identifier>
    <reporting-org ref="XM-EXAMPLE-1" type="11"><narrative>Example City Council</narrative></reporting-org>
    <title><narrative>Sustainable mobility partnership</narrative></title>
    <description type="1"><narrative>Technical exchange on bus rapid transit.</narrative></description>
    <participating-org ref="XM-EXAMPLE-1" type="11" role="1"><narrative>Example City Council</narrative></participating-org>
    <participating-org type="15" role="4"><narrative>Example Transit Agency</narrative></participating-org>
    <participating-org ref="XM-EXAMPLE-9" type="40" role="3"><narrative>Example Development Bank</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2021-01-01"/>
    <activity-date type="2" iso-date="2021-03-15"/>
    <activity-date type="3" iso-date="2023-12-31"/>
    <recipient-country code="CO"/>
    <recipient-region code="489"/>
    <location>
      <location-id vocabulary="G1" code="3674962"/>
      <name><narrative>Medellin</narrative></name>
    </location>
    <sector vocabulary="1" code="21012" percentage="80"/>
    <sector vocabulary="1" code="41010" percentage="20"/>
    <sector vocabulary="7" code="11"/>
    <tag vocabulary="3" code="11.2"/>
    <budget type="1" status="2">
      <period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
      <value currency="EUR" value-date="2021-01-01">150000</value>
    </budget>
    <budget type="1" status="1">
      <period-start iso-date="2022-01-01"/><period-end iso-date="2022-12-31"/>
      <value value-date="2022-01-01">250000.50</value>
    </budget>
    <transaction>
      <transaction-type code="3"/><transaction-date iso-date="2021-06-01"/>
      <value value-date="2021-06-01">1000</value>
    </transaction>
    <result type="1" aggregation-status="false">
      <title><narrative>Officials trained in transit planning</narrative></title>
      <indicator measure="1" ascending="true">
        <title><narrative>Officials trained</narrative></title>
        <baseline year="2020" value="0"/>
        <period>
          <period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
          <target value="40"/><actual value="35"/>
        </period>
      </indicator>
    </result>
  </iati-activity>
</iati-activities>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol9;</iati-identifier></iati-activity></iati-activities>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>
"""
