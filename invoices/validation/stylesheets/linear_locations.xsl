<?xml version="1.0" encoding="UTF-8"?>
<!--
  Wraps an official Schematron stylesheet (imported by invoices.validation.schematron in
  place of IMPORTED-STYLESHEET) and replaces how it writes a failed assertion's location.
  The official skeleton counts the preceding same-name siblings of every step for every
  failed assertion: quadratic in the number of siblings, so 20,000 empty elements cost
  minutes. Here each element's position among its same-name siblings is computed once per
  document, in one pass, and looked up. The location paths are the same.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:chorus="urn:chorus:validation"
  exclude-result-prefixes="#all">
  <xsl:import href="IMPORTED-STYLESHEET"/>

  <xsl:variable name="chorus:position" as="map(xs:string, xs:integer)">
    <xsl:map>
      <xsl:for-each-group select="//*"
        group-by="generate-id(..) || ' ' || namespace-uri() || ' ' || local-name()">
        <xsl:for-each select="current-group()">
          <xsl:map-entry key="generate-id()" select="position()"/>
        </xsl:for-each>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:variable>

  <xsl:template match="*" mode="schematron-get-full-path">
    <xsl:apply-templates mode="schematron-get-full-path" select="parent::*"/>
    <xsl:text>/</xsl:text>
    <xsl:choose>
      <xsl:when test="namespace-uri() = ''">
        <xsl:value-of select="name()"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>*:</xsl:text>
        <xsl:value-of select="local-name()"/>
        <xsl:text>[namespace-uri()='</xsl:text>
        <xsl:value-of select="namespace-uri()"/>
        <xsl:text>']</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text>[</xsl:text>
    <xsl:value-of select="$chorus:position(generate-id())"/>
    <xsl:text>]</xsl:text>
  </xsl:template>
</xsl:stylesheet>
